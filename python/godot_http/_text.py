"""Godot's String helpers that the wire format depends on, re-done in Python.

* ``godot_strip(s)``: ``String.strip_edges()``: removes every code point <= 32 from both ends
  (space, tab, CR, LF and the other C0 controls), but not U+00A0.
* ``to_int(s)``: ``String.to_int()``: only the text before the first ``.``; every non-ASCII-digit
  is ignored; ``-`` flips the sign only before the first digit; int64 overflow clamps.
  Python traps avoided: ``int()`` would accept ``0x5``-free forms like ``5_0`` and non-ASCII
  digits; this function never does.
* ``ascii_lower(s)``: lowercase A-Z only. ``str.lower()`` maps the Kelvin sign (U+212A) to ``k``
  and U+0130 to ``i`` + combining dot, which would let obfuscated names match framing headers.
"""

from __future__ import annotations

from collections.abc import Callable

GODOT_WHITESPACE = "".join(map(chr, range(33)))
INT64_MAX = (1 << 63) - 1
INT64_MIN = -(1 << 63)

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def godot_strip(s: str) -> str:
    return s.strip(GODOT_WHITESPACE)


def ascii_lower(s: str) -> str:
    return s.lower() if s.isascii() else s.translate(_ASCII_LOWER)


def to_int(s: str, on_overflow: Callable[[str], object] | None = None) -> int:
    """Godot ``String.to_int``; ``on_overflow(message)`` is called when the value clamps."""
    dot = s.find(".")
    if dot >= 0:
        s = s[:dot]
    if s.isdecimal() and s.isascii() and len(s) < 19:
        return int(s)
    neg = False
    seen = False
    value = 0
    for ch in s:
        if "0" <= ch <= "9":
            seen = True
            value = value * 10 + (ord(ch) - 48)
            if value > INT64_MAX + (1 if neg else 0):
                if on_overflow is not None:
                    on_overflow(f"Cannot represent {s} as a 64-bit signed integer, since the value is too large.")
                return INT64_MIN if neg else INT64_MAX
        elif ch == "-" and not seen:
            neg = not neg
    return -value if neg else value
