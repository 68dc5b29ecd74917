"""``query_string_from_dict`` (spec 9) and a pure-Python Variant-to-String default.

``query_string(fields, stringify)`` walks the dict in insertion order: list/tuple values expand to
one ``key=value`` per element (an empty list adds nothing), ``None`` gives a bare ``key``,
anything else ``key=value``; keys and values go through ``stringify`` then ``uri_encode``
(UTF-8, unreserved ``A-Za-z0-9_.-~`` kept, every other byte ``%XX`` upper-case).

``godot_str(value)`` is Godot's ``str()`` for the Python types a plain caller has: ``None`` ->
``<null>``, bool -> ``true``/``false``, int, float (see ``godot_float_str``), str, list/tuple ->
``[a, b]``, dict -> ``{ "k": v }`` (strings quoted inside containers), bytes -> ``[1, 2]``.
Inside Godot the wrapper injects the engine's own conversion through ``Environment.stringify``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeGuard
from urllib.parse import quote

__all__ = ["query_string", "uri_encode", "godot_str", "godot_float_str"]


def uri_encode(s: str) -> str:
    return quote(s, safe="~", encoding="utf-8", errors="surrogatepass")


def godot_float_str(x: float) -> str:
    """Godot's ``String::num(x)`` with 14 significant decimals as used by ``str(float)``."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == int(x):
        return f"{int(x)}.0"
    decimals = 14
    ax = abs(x)
    if ax > 10:
        decimals -= int(math.floor(math.log10(ax)))
    if decimals < 0:
        decimals = 0
    s = f"{x:.{decimals}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s == "-0":
        s = "0"
    return s


def _in_container(v: object) -> str:
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return godot_str(v)


def godot_str(v: object) -> str:
    if v is None:
        return "<null>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return godot_float_str(v)
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray, memoryview)):
        return "[" + ", ".join(str(b) for b in bytes(v)) + "]"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_in_container(e) for e in v) + "]"
    if isinstance(v, Mapping):  # dict, or godot.Dictionary inside Godot
        if not v:
            return "{  }"
        return "{ " + ", ".join(f"{_in_container(k)}: {_in_container(e)}" for k, e in v.items()) + " }"
    return str(v)


def _is_array(value: object) -> TypeGuard[list[object] | tuple[object, ...]]:
    """Godot expands only an Array. Inside Godot the bridge hands Vector2, Color, ... over as
    tuple subclasses and Packed*Array as list subclasses, all marked with ``__variant_type__``:
    those are single values, stringified whole (``Vector2(1, 2)`` -> ``(1.0, 2.0)``)."""
    return isinstance(value, (list, tuple)) and not hasattr(type(value), "__variant_type__")


def query_string(fields: Mapping[object, object], stringify: Callable[[object], str] = godot_str) -> str:
    parts = []
    for key, value in fields.items():
        ek = uri_encode(stringify(key))
        if _is_array(value):
            for e in value:
                parts.append(f"&{ek}={uri_encode(stringify(e))}")
        elif value is None:
            parts.append("&" + ek)
        else:
            parts.append(f"&{ek}={uri_encode(stringify(value))}")
    return "".join(parts)[1:]
