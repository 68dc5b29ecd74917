"""Response heads: where a header block ends, and what it says.

Theory of operation
-------------------
The client keeps one receive buffer (a ``bytearray``) per connection. ``HeadReader.extract(buf)``
looks for the end of a header block exactly where Godot's byte-at-a-time reader would stop: at
the first point where the bytes read so far end with ``\\n\\n`` or ``\\r\\n\\r\\n``. It removes
that block from the front of the buffer and returns it; any bytes after it (body, the next
response) stay in the buffer. Until a terminator is seen it enforces the limits of ``_limits``
incrementally, so an endless or oversized head fails as soon as a limit is crossed, and scanning
never revisits bytes (byte-by-byte feeding stays linear).

``parse_head(block, head_request)`` then reads the block in one pass with Godot's rules
(spec 6.1) where they are sound, and hardened rules where the built-in is exploitable:

==========================  ==============================  ==================================
aspect                      built-in                        here
==========================  ==============================  ==================================
line split / strip          on ``\\n``; strip code points <= 32       same
header lines kept           stripped, original case, order  same (``NoColonLine`` kept too)
status line                 first line starting ``HTTP``;   must be ``HTTP/1.x NNN[ reason]``
                            anything else -> code 200       after optional leading blank lines
Content-Length              ``to_int``, last one wins       ASCII digits only, duplicates must
                                                            agree
Transfer-Encoding           exactly ``chunked``             last coding ``chunked`` (any case);
                                                            other codings: read until close
Connection                  prefix ``connection: close``    token ``close`` in the list
1xx (not 101)               final, body left in socket      skipped (interim), limit 5
no framing, keep-alive      CONNECTED, body left in socket  read until close (RFC 9112 6.3)
HEAD / 204 / 304            HEAD: length 0                  all: no body; length 0 if framed
NUL, bare CR in head        kept                            ProtocolError
==========================  ==============================  ==================================

Everything here is pure computation: no I/O, no clock, no threads.
"""

from __future__ import annotations

from typing import NoReturn

from ._limits import MAX_HEAD_BLOCK, MAX_HEADER_LINE, MAX_HEADERS, MAX_INTERIM_RESPONSES, MAX_STATUS_LINE
from ._text import GODOT_WHITESPACE, ascii_lower
from .errors import LimitExceeded, ProtocolError

__all__ = ["HeadReader", "ResponseHead", "parse_head", "find_head_end"]

_FRAMING_NAMES = ("content-length", "transfer-encoding")
_BLANK_LINES = (b"\n", b"\r\n")
_STATUS_BODY = 7
_STATUS_CONNECTED = 5


def find_head_end(buf: bytes | bytearray, start: int = 0) -> int:
    """Index just past the first ``\\n\\n`` / ``\\r\\n\\r\\n`` at or after ``start``, or -1."""
    a = buf.find(b"\n\n", start)
    b = buf.find(b"\r\n\r\n", start)
    if a < 0:
        return b + 4 if b >= 0 else -1
    if b < 0 or a + 2 <= b + 4:
        return a + 2
    return b + 4


class HeadReader:
    """Extracts successive header blocks of one response from a receive buffer, within limits."""

    __slots__ = ("_scan", "_line_start", "_lines", "_consumed", "interim_count")

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start a new response: limits count from zero again."""
        self._scan = 0
        self._line_start = 0
        self._lines = 0
        self._consumed = 0
        self.interim_count = 0

    def received(self, buf: bytes | bytearray) -> int:
        """Bytes of the current response head received so far (for error messages)."""
        return self._consumed + len(buf)

    def note_interim(self) -> None:
        """The head just extracted was an interim (1xx) response."""
        self.interim_count += 1
        if self.interim_count > MAX_INTERIM_RESPONSES:
            raise LimitExceeded(f"Too many interim (1xx) responses (MAX_INTERIM_RESPONSES = {MAX_INTERIM_RESPONSES}).")

    def extract(self, buf: bytearray) -> bytes | None:
        """Remove and return one complete header block from the front of ``buf``, or None."""
        if self._lines == 0 and buf.startswith(_BLANK_LINES):
            # Blank lines before a status line are ignored (RFC 9112 2.2); they still count.
            self._scan = self._line_start = 0
            while buf.startswith(_BLANK_LINES):
                n = 1 if buf[0] == 10 else 2
                del buf[:n]
                self._consumed += n
                if self._consumed > MAX_HEAD_BLOCK:
                    raise LimitExceeded(f"Response header block too large (MAX_HEAD_BLOCK = {MAX_HEAD_BLOCK} bytes).")
        end = find_head_end(buf, self._scan - 3 if self._scan > 3 else 0)
        if end < 0:
            self._check_lines(buf, len(buf), complete=False)
            self._scan = len(buf)
            return None
        if self._line_start or end > MAX_STATUS_LINE or buf.count(b"\n", 0, end) > MAX_HEADERS + 2:
            self._check_lines(buf, end, complete=True)
        self._consumed += end
        if self._consumed > MAX_HEAD_BLOCK:
            raise LimitExceeded(f"Response header block too large (MAX_HEAD_BLOCK = {MAX_HEAD_BLOCK} bytes).")
        if end == len(buf):  # the usual case: the client took exactly the head
            block = bytes(buf)
            buf.clear()
        else:
            block = bytes(buf[:end])
            del buf[:end]
        self._scan = self._line_start = self._lines = 0
        return block

    def _check_lines(self, buf: bytes | bytearray, end: int, complete: bool) -> None:
        if self._consumed + end > MAX_HEAD_BLOCK:
            raise LimitExceeded(f"Response header block too large (MAX_HEAD_BLOCK = {MAX_HEAD_BLOCK} bytes).")
        start = self._line_start
        while True:
            nl = buf.find(b"\n", start, end)
            stop = end if nl < 0 else nl + 1
            limit = MAX_STATUS_LINE if self._lines == 0 else MAX_HEADER_LINE
            if stop - start > limit:
                if self._lines == 0:
                    raise LimitExceeded(f"Response status line too long (MAX_STATUS_LINE = {MAX_STATUS_LINE} bytes).")
                raise LimitExceeded(f"Response header line too long (MAX_HEADER_LINE = {MAX_HEADER_LINE} bytes).")
            if nl < 0:
                break
            self._lines += 1
            if self._lines > MAX_HEADERS + 2:
                raise LimitExceeded(f"Too many response header lines (MAX_HEADERS = {MAX_HEADERS}).")
            start = nl + 1
        self._line_start = start


class ResponseHead:
    """What one parsed header block says. ``status`` is the Godot status to move to."""

    __slots__ = (
        "code",
        "headers",
        "body_size",
        "chunked",
        "read_until_eof",
        "keep_alive",
        "interim",
        "status",
        "decode_error",
        "decode_chunked",
    )

    def __init__(
        self,
        code: int,
        headers: list[str],
        body_size: int,
        chunked: bool,
        read_until_eof: bool,
        keep_alive: bool,
        interim: bool,
        status: int,
        decode_error: str | None,
        decode_chunked: bool | None = None,
    ) -> None:
        #: True when the body goes through the chunked decoder (False for HEAD/204/304 even if chunked).
        self.decode_chunked = chunked if decode_chunked is None else decode_chunked
        self.code = code
        self.headers = headers
        self.body_size = body_size
        self.chunked = chunked
        self.read_until_eof = read_until_eof
        self.keep_alive = keep_alive
        self.interim = interim
        self.status = status
        self.decode_error = decode_error

    def __repr__(self) -> str:
        return (
            "ResponseHead(code=%r, headers=%r, body_size=%r, chunked=%r, read_until_eof=%r, "
            "keep_alive=%r, interim=%r, status=%r)"
            % (
                self.code,
                self.headers,
                self.body_size,
                self.chunked,
                self.read_until_eof,
                self.keep_alive,
                self.interim,
                self.status,
            )
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResponseHead) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)


def _bad(msg: str) -> NoReturn:
    raise ProtocolError(msg)


def _parse_status_line(line: str) -> int:
    # HTTP/1.x SP 3DIGIT [SP reason]; the reason may be empty or absent.
    if line.endswith("\r"):
        line = line[:-1]
    if (
        len(line) < 12
        or not line.startswith("HTTP/1.")
        or not line[7].isdigit()
        or line[8] != " "
        or (len(line) > 12 and line[12] != " ")
    ):
        _bad(f"Invalid HTTP status line: {line[:80]!r}.")
    code = line[9:12]
    if not (code.isascii() and code.isdigit()):
        _bad(f"Invalid HTTP status line: {line[:80]!r}.")
    return int(code)


def utf8_problem(block: bytes, exc: UnicodeDecodeError) -> str:
    """One message for a head that is not UTF-8: which header line, which byte, what is wrong
    with it (Python's reason: "invalid start byte", "invalid continuation byte", ...). A Latin-1
    ``caf\\xe9`` is a leading byte 0xE9 whose continuation bytes are missing, not an invalid byte."""
    start = block.rfind(b"\n", 0, exc.start) + 1
    end = block.find(b"\n", exc.start)
    line = block[start : end if end >= 0 else len(block)].rstrip(b"\r")
    name = line.split(b":", 1)[0].decode("ascii", "replace") if b":" in line else "status line"
    byte = block[exc.start]
    reason = exc.reason
    if reason == "invalid continuation byte" or (reason == "unexpected end of data" and byte >= 0xC2):
        reason = f"leading byte 0x{byte:02X} is not followed by its continuation bytes"
    elif reason == "invalid start byte":
        reason = f"byte 0x{byte:02X} cannot start a UTF-8 sequence"
    else:
        reason = f"byte 0x{byte:02X}: {reason}"
    return (
        f"Response header {name!r} is not valid UTF-8 ({reason}; Latin-1 text?): "
        "the invalid bytes were replaced with U+FFFD."
    )


def parse_head(block: bytes, head_request: bool = False) -> ResponseHead:
    """Parse one complete header block (as returned by ``HeadReader.extract``)."""
    if b"\0" in block:
        _bad("NUL byte in response header block.")
    if block.count(b"\r") != block.count(b"\r\n"):
        _bad("Bare CR in response header block.")
    decode_error: str | None = None
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = block.decode("utf-8", "replace")
        decode_error = utf8_problem(block, exc)
    lines = text.split("\n")
    code = _parse_status_line(lines[0])
    content_length = -1
    codings: list[str] = []
    # HTTP/1.1 connections persist unless "close"; HTTP/1.0 ones only with "keep-alive" (RFC 9112 9.3).
    http10 = lines[0][7] == "0"
    keep_alive = True
    asked_keep_alive = False
    ws = GODOT_WHITESPACE
    headers: list[str] = [header for raw in lines[1:] if (header := raw.strip(ws))]
    # Only names starting with C or T matter below (a one-character test per header).
    for header in [header for header in headers if header[0] in "cCtT"]:
        lower = header[:18]
        lower = lower.lower() if lower.isascii() else ascii_lower(lower)
        if lower.startswith("content-length:"):
            value = header[15:].strip(ws)
            if not (value.isascii() and value.isdigit()) or len(value) > 18:
                _bad(f"Invalid Content-Length: {value[:40]!r}.")
            n = int(value)
            if content_length >= 0 and n != content_length:
                _bad("Conflicting Content-Length headers.")
            content_length = n
        elif lower.startswith("transfer-encoding:"):
            codings.extend(c.strip(ws) for c in header[18:].split(","))
        elif lower.startswith("connection:"):
            for token in header[11:].split(","):
                token = ascii_lower(token.strip(ws))
                if token == "close":
                    keep_alive = False
                elif token == "keep-alive":
                    asked_keep_alive = True
        elif lower.startswith(_FRAMING_NAMES):  # a framing name, then not its colon
            name = header.split(":", 1)[0]
            if ascii_lower(name.rstrip(ws)) in _FRAMING_NAMES:
                _bad(f"Whitespace before the colon in a framing header: {name!r}.")
    if http10 and not asked_keep_alive:
        keep_alive = False
    if len(headers) > MAX_HEADERS:
        raise LimitExceeded(f"Too many response headers (MAX_HEADERS = {MAX_HEADERS}).")
    chunked = other_coding = False
    if codings:
        codings = [ascii_lower(c) for c in codings if c]
        chunked = bool(codings) and codings[-1] == "chunked" and codings.count("chunked") == 1
        other_coding = bool(codings) and not chunked
    framed = content_length >= 0 or chunked or other_coding
    if 100 <= code < 200:
        return ResponseHead(code, headers, -1, False, False, keep_alive, code != 101, _STATUS_CONNECTED, decode_error)
    if head_request or code == 204 or code == 304:
        if head_request or framed:
            return ResponseHead(code, headers, 0, chunked, False, keep_alive, False, _STATUS_BODY, decode_error, False)
        return ResponseHead(code, headers, -1, False, False, keep_alive, False, _STATUS_CONNECTED, decode_error)
    if other_coding:
        return ResponseHead(code, headers, content_length, False, True, keep_alive, False, _STATUS_BODY, decode_error)
    if chunked or content_length >= 0:
        return ResponseHead(
            code, headers, content_length, chunked, False, keep_alive, False, _STATUS_BODY, decode_error
        )
    return ResponseHead(code, headers, -1, False, True, keep_alive, False, _STATUS_BODY, decode_error)
