"""Streaming ``Content-Encoding`` decoding (gzip and deflate) with bounded work per call.

``Decoder(coding)`` takes body bytes as they arrive (``push``) and gives decoded bytes back in
pieces of at most ``max_out`` bytes (``pull``), so neither memory nor the time of one call
depends on the compression ratio (a small piece of a "zip bomb" never expands all at once).
``finish()`` says whether the body ended at a clean boundary.

* gzip (RFC 1952): any number of members, one after the other (section 2.2), as ``gzip -c a
  b`` or a concatenating server produces. Bytes after the last member that do not start
  another member are ignored and counted in ``trailing_garbage`` (as zcat, curl and browsers
  do); a started member that does not end is an error.
* deflate (RFC 9110 8.4.1.2): the zlib format (RFC 1950), and the raw deflate format
  (RFC 1951) that some servers send instead, told apart by the zlib header check.

Any split of the input is fine: one byte at a time gives the same output as all at once.
Errors raise ``DecodeError``. Only ``zlib``; no I/O.
"""

from __future__ import annotations

import zlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import BodyChunk

__all__ = ["Decoder", "DecodeError", "decoder_for", "GZIP_MAGIC"]

GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_WBITS = -zlib.MAX_WBITS

# where a decoder is
_BETWEEN = 0  # before a gzip member (or before the deflate stream)
_INSIDE = 1  # inside a member / stream
_FINISHED = 2  # deflate stream ended: the rest is trailing garbage


class DecodeError(ValueError):
    """The body is not valid for its Content-Encoding."""


def decoder_for(content_encoding: str | None) -> Decoder | None:
    """A Decoder for a ``Content-Encoding`` value we decode, else None (identity or unknown)."""
    if not content_encoding:
        return None
    coding = content_encoding.strip().lower()
    if coding in ("gzip", "x-gzip"):
        return Decoder("gzip")
    if coding == "deflate":
        return Decoder("deflate")
    return None


def _looks_like_zlib(head: bytes) -> bool:
    cmf, flg = head[0], head[1]
    return cmf & 0x0F == 8 and cmf >> 4 <= 7 and (cmf * 256 + flg) % 31 == 0


class Decoder:
    def __init__(self, coding: str) -> None:
        if coding not in ("gzip", "deflate"):
            raise ValueError(f"unsupported coding {coding!r}")
        self.coding = coding
        self._state = _BETWEEN
        self._z: Any = None  # zlib's decompression object (its class is private)
        self._input = b""
        self.members = 0
        self.trailing_garbage = 0
        self.produced = 0

    def push(self, data: BodyChunk) -> None:
        """Queue body bytes for decoding."""
        if data:
            self._input = self._input + bytes(data) if self._input else bytes(data)

    @property
    def pending(self) -> bool:
        """True while queued input may still give output (call ``pull`` again)."""
        return bool(self._input) and self._state != _FINISHED

    def pull(self, max_out: int) -> bytes:
        """Up to ``max_out`` decoded bytes from the queued input (``b""``: needs more input)."""
        if max_out <= 0:
            raise ValueError("max_out must be positive")
        out = bytearray()
        while len(out) < max_out and self._input:
            if self._state == _FINISHED:
                self.trailing_garbage += len(self._input)
                self._input = b""
                break
            if self._state == _BETWEEN and not self._start():
                break
            data, self._input = self._input, b""
            try:
                piece = self._z.decompress(data, max_out - len(out))
            except zlib.error as exc:
                raise DecodeError(f"Invalid {self.coding} data: {exc}.") from None
            out += piece
            if self._z.eof:
                self._input = self._z.unused_data
                self._z = None
                self.members += 1
                self._state = _BETWEEN if self.coding == "gzip" else _FINISHED
            else:
                self._input = self._z.unconsumed_tail
                if not piece and not self._input:
                    break
        self.produced += len(out)
        return bytes(out)

    def _start(self) -> bool:
        """Begin a member/stream at the front of the input; False when it cannot be told yet
        (or the rest is garbage, which is then dropped)."""
        head = self._input[:2]
        if self.coding == "gzip":
            if not GZIP_MAGIC.startswith(head):
                if self.members == 0:
                    raise DecodeError("Invalid gzip data: the body does not start with a gzip header.")
                self.trailing_garbage += len(self._input)
                self._input = b""
                return False
            if len(head) < 2:
                return False
            self._z = zlib.decompressobj(_GZIP_WBITS)
        else:
            if len(head) < 2:
                return False
            self._z = zlib.decompressobj(_ZLIB_WBITS if _looks_like_zlib(head) else _RAW_WBITS)
        self._state = _INSIDE
        return True

    def finish(self) -> None:
        """The body ended: raise DecodeError unless it ended between members (gzip) or after
        the stream (deflate). An empty body is fine (nothing was encoded)."""
        if self._state == _INSIDE:
            raise DecodeError(f"Truncated {self.coding} data: the body ended inside the compressed stream.")
        if self._input:
            if self.members == 0:
                raise DecodeError(f"Truncated {self.coding} data: the body is too short.")
            self.trailing_garbage += len(self._input)
            self._input = b""
