"""Chunked transfer decoding (RFC 9112 section 7.1), one Godot read call at a time.

Theory of operation
-------------------
``ChunkedReader.step(buf)`` consumes bytes from the front of the connection's receive buffer and
returns exactly what one ``read_response_body_chunk()`` call of the built-in returns when the
same bytes are available (spec 7.2):

* a whole chunk's payload (``bytes``): never a partial chunk; ``read_chunk_size`` is ignored;
* ``NEED_DATA`` when the next size line / chunk / trailer section is incomplete (Godot returns
  ``[]`` and stays in BODY);
* ``END_OF_CHUNKS`` right after the ``0`` size line (Godot spends one empty read on it);
* ``END_OF_MESSAGE`` once the trailer section's empty line is consumed (status CONNECTED).

Differences from the built-in, all deliberate: chunk extensions (``5;name=value``) are accepted
and ignored; the size line may be up to ``MAX_CHUNK_SIZE_LINE`` instead of 32 bytes; a size that
is already known to exceed ``MAX_CHUNK_SIZE`` fails before its CRLF arrives; malformed input stops
decoding (the built-in keeps decoding after a "not in hex" error); trailer lines may end in a bare
LF; trailers are bounded like a header block. Errors are ``ChunkError`` carrying Godot's message.
"""

from __future__ import annotations

from ._limits import MAX_CHUNK_SIZE, MAX_CHUNK_SIZE_LINE, MAX_HEAD_BLOCK, MAX_HEADER_LINE, MAX_HEADERS
from .errors import ChunkError, LimitExceeded

__all__ = ["ChunkedReader", "NEED_DATA", "END_OF_CHUNKS", "END_OF_MESSAGE"]


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


NEED_DATA = _Sentinel("NEED_DATA")
END_OF_CHUNKS = _Sentinel("END_OF_CHUNKS")
END_OF_MESSAGE = _Sentinel("END_OF_MESSAGE")

# Reader states.
SIZE_LINE = 0
DATA = 1
TRAILER = 2
DONE = 3

_HEX = b"0123456789abcdefABCDEF"
MSG_NOT_HEX = "HTTP Chunk len not in hex!!"
MSG_TOO_BIG = f"HTTP Chunk too big!! >16mb (MAX_CHUNK_SIZE = {MAX_CHUNK_SIZE} bytes)"
MSG_LINE_TOO_LONG = f"HTTP Invalid chunk hex len (MAX_CHUNK_SIZE_LINE = {MAX_CHUNK_SIZE_LINE} bytes)"
MSG_BAD_TERMINATOR = "HTTP Invalid chunk terminator (not \\r\\n)"


def _check_partial_size(buf: bytes | bytearray) -> None:
    """Fail early when the hex digits already received exceed the limit."""
    n = len(buf)
    if n > MAX_CHUNK_SIZE_LINE:
        raise LimitExceeded(MSG_LINE_TOO_LONG)
    i = 0
    while i < n and buf[i] == 48:  # leading zeros
        i += 1
    j = i
    while j < n and buf[j] in _HEX:
        j += 1
    if j - i > 7 or (j > i and int(buf[i:j], 16) > MAX_CHUNK_SIZE):
        raise ChunkError(MSG_TOO_BIG)


class ChunkedReader:
    __slots__ = ("state", "left", "_trailer_bytes", "_trailer_lines")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.state = SIZE_LINE
        self.left = 0
        self._trailer_bytes = 0
        self._trailer_lines = 0

    def step(self, buf: bytearray) -> bytes | _Sentinel:
        state = self.state
        if state == SIZE_LINE:
            nl = buf.find(b"\n")
            if nl < 0:
                if len(buf) > 6:
                    _check_partial_size(buf)
                return NEED_DATA
            if nl + 1 > MAX_CHUNK_SIZE_LINE:
                raise LimitExceeded(MSG_LINE_TOO_LONG)
            if nl == 0 or buf[nl - 1] != 13:
                raise ChunkError(MSG_NOT_HEX)
            line = bytes(buf[: nl - 1])
            semi = line.find(b";")
            size = (line if semi < 0 else line[:semi]).rstrip(b" \t")
            if not size or size.strip(_HEX):
                raise ChunkError(MSG_NOT_HEX)
            if b"\0" in line or b"\r" in line:
                raise ChunkError(MSG_NOT_HEX)
            size = size.lstrip(b"0")
            if len(size) > 7 or (size and int(size, 16) > MAX_CHUNK_SIZE):
                raise ChunkError(MSG_TOO_BIG)
            del buf[: nl + 1]
            if not size:
                self.state = TRAILER
                return END_OF_CHUNKS
            self.left = int(size, 16)
            self.state = state = DATA
        if state == DATA:
            left = self.left
            if len(buf) < left + 2:
                return NEED_DATA
            if buf[left] != 13 or buf[left + 1] != 10:
                raise ChunkError(MSG_BAD_TERMINATOR)
            with memoryview(buf) as view:
                payload = bytes(view[:left])
            del buf[: left + 2]
            self.left = 0
            self.state = SIZE_LINE
            return payload
        if state == TRAILER:
            while True:
                nl = buf.find(b"\n")
                if nl < 0:
                    if len(buf) > MAX_HEADER_LINE:
                        raise LimitExceeded(f"Trailer line too long (MAX_HEADER_LINE = {MAX_HEADER_LINE} bytes).")
                    if self._trailer_bytes + len(buf) > MAX_HEAD_BLOCK:
                        raise LimitExceeded(f"Trailer section too large (MAX_HEAD_BLOCK = {MAX_HEAD_BLOCK} bytes).")
                    return NEED_DATA
                if nl + 1 > MAX_HEADER_LINE:
                    raise LimitExceeded(f"Trailer line too long (MAX_HEADER_LINE = {MAX_HEADER_LINE} bytes).")
                empty = nl == 0 or (nl == 1 and buf[0] == 13)
                del buf[: nl + 1]
                if empty:
                    self.state = DONE
                    return END_OF_MESSAGE
                self._trailer_bytes += nl + 1
                self._trailer_lines += 1
                if self._trailer_bytes > MAX_HEAD_BLOCK:
                    raise LimitExceeded(f"Trailer section too large (MAX_HEAD_BLOCK = {MAX_HEAD_BLOCK} bytes).")
                if self._trailer_lines > MAX_HEADERS:
                    raise LimitExceeded(f"Too many trailer lines (MAX_HEADERS = {MAX_HEADERS}).")
        return END_OF_MESSAGE
