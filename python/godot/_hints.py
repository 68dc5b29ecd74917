"""Property hints: how the editor's inspector edits a property.

A hint is a `PropertyHint` value plus its hint string, exactly as Godot's `PropertyInfo`
carries them. The `hint_*` helpers build the hint strings in the format the engine uses
for its own properties (checked with tests/python/registration/classdb_conventions.gd):

    HTTPClient.read_chunk_size   hint RANGE  "256,16777216"
    AudioStreamPlayer.pitch_scale hint RANGE "0.01,4,0.01,or_greater"
    Label.horizontal_alignment   hint ENUM   "Left,Center,Right,Fill"
    Label.justification_flags    hint FLAGS  "Kashida Justification:1,Word Justification:2,..."
    Label.text                   hint MULTILINE_TEXT ""
    Sprite2D.texture             hint RESOURCE_TYPE "Texture2D"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from godot import _spec

# Hints the contract module does not list (values from Godot's PropertyHint enum).
HINT_EXP_EASING = 4
HINT_FILE = 13
HINT_DIR = 14
HINT_TYPE_STRING = 23
HINT_ARRAY_TYPE = 31
HINT_NODE_TYPE = 34

# Usage flags the contract module does not list (PropertyUsageFlags).
USAGE_NO_EDITOR = _spec.USAGE_STORAGE
USAGE_GROUP = 64


@dataclass(frozen=True)
class Hint:
    """A property hint: `kind` is a PropertyHint value, `text` its hint string."""

    kind: int
    text: str = ""


def _number(value: float) -> str:
    """Format a number the way Godot's hint strings show it: 4.0 -> "4", 0.5 -> "0.5"."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"hint bounds must be numbers, not {value!r}")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def hint_range(
    minimum: float,
    maximum: float,
    step: float | None = None,
    *,
    or_greater: bool = False,
    or_less: bool = False,
    exp: bool = False,
    suffix: str = "",
) -> Hint:
    """A slider from `minimum` to `maximum`: `hint_range(0, 10)` -> "0,10"."""
    parts = [_number(minimum), _number(maximum)]
    if step is not None:
        parts.append(_number(step))
    parts += [flag for flag, on in (("or_greater", or_greater), ("or_less", or_less), ("exp", exp)) if on]
    if suffix:
        parts.append(f"suffix:{suffix}")
    return Hint(_spec.HINT_RANGE, ",".join(parts))


def _labels(items: tuple[Any, ...], kind: str) -> str:
    """ "A,B" from ("A", "B"); "A:1,B:4" from ("A", 1), ("B", 4) pairs or a mapping."""
    parts = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], int):
            parts.append(f"{item[0]}:{item[1]}")
        else:
            raise TypeError(f"hint_{kind} takes names or (name, value) pairs, not {item!r}")
    return ",".join(parts)


def hint_enum(*names: str | tuple[str, int]) -> Hint:
    """A drop-down for an int (or String) property: `hint_enum("Left", "Right")`."""
    return Hint(_spec.HINT_ENUM, _labels(names, "enum"))


def hint_flags(*names: str | tuple[str, int]) -> Hint:
    """Check boxes for an int bit mask: `hint_flags("Fire", "Water", ("Earth", 8))`."""
    return Hint(_spec.HINT_FLAGS, _labels(names, "flags"))


def hint_multiline() -> Hint:
    """A multi-line text box for a String property."""
    return Hint(_spec.HINT_MULTILINE_TEXT, "")


def hint_placeholder(text: str) -> Hint:
    """Grey text shown in an empty String property."""
    return Hint(_spec.HINT_PLACEHOLDER_TEXT, text)


def hint_resource_type(class_name: str) -> Hint:
    """Restrict an Object property to a Resource class: `hint_resource_type("Texture2D")`."""
    return Hint(_spec.HINT_RESOURCE_TYPE, class_name)


def hint_file(*patterns: str) -> Hint:
    """A file picker for a String property: `hint_file("*.png", "*.jpg")`."""
    return Hint(HINT_FILE, ",".join(patterns))


def hint_dir() -> Hint:
    """A folder picker for a String property."""
    return Hint(HINT_DIR, "")


def custom_hint(kind: int, text: str = "") -> Hint:
    """Any other PropertyHint value with its hint string, passed through unchanged."""
    return Hint(kind, text)
