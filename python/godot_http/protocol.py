"""The sans-IO HTTP/1.1 client core: bytes in, results out.

This module is the public face of the core; each job lives in its own private module:

* ``_request``: request validation and serialisation (spec 5.2, 5.3);
* ``_head``: finding and parsing response header blocks (spec 6.1, 6.2), within limits;
* ``_chunked``: chunked body decoding, one built-in read call per ``step`` (spec 7.2);
* ``_limits``: the named limits; ``_text``: Godot's String helpers (strip, ``to_int``).

Nothing in the core imports ``socket``, ``ssl``, ``select``, ``selectors``, ``time`` or
``threading`` (``tests/python/http/test_core_is_sans_io.py`` enforces it). Content-Length and
read-until-close bodies need no state machine of their own: the facade counts bytes.
"""

from ._chunked import END_OF_CHUNKS, END_OF_MESSAGE, NEED_DATA, ChunkedReader
from ._head import HeadReader, ResponseHead, find_head_end, parse_head
from ._limits import (
    MAX_CHUNK_SIZE,
    MAX_CHUNK_SIZE_LINE,
    MAX_CONTENT_LENGTH,
    MAX_HEAD_BLOCK,
    MAX_HEADER_LINE,
    MAX_HEADERS,
    MAX_INTERIM_RESPONSES,
    MAX_STATUS_LINE,
)
from ._request import check_headers, check_method, check_url, host_header_value, serialize_request
from ._text import godot_strip, to_int
from .errors import ChunkError, LimitExceeded, ProtocolError

__all__ = [
    "ChunkedReader",
    "NEED_DATA",
    "END_OF_CHUNKS",
    "END_OF_MESSAGE",
    "HeadReader",
    "ResponseHead",
    "find_head_end",
    "parse_head",
    "check_method",
    "check_url",
    "check_headers",
    "host_header_value",
    "serialize_request",
    "godot_strip",
    "to_int",
    "ProtocolError",
    "LimitExceeded",
    "ChunkError",
    "MAX_STATUS_LINE",
    "MAX_HEADER_LINE",
    "MAX_HEAD_BLOCK",
    "MAX_HEADERS",
    "MAX_INTERIM_RESPONSES",
    "MAX_CHUNK_SIZE_LINE",
    "MAX_CHUNK_SIZE",
    "MAX_CONTENT_LENGTH",
    "SANS_IO_MODULES",
]

#: Modules of the core that must stay free of I/O, clock and thread imports.
SANS_IO_MODULES = (
    "protocol",
    "_request",
    "_head",
    "_chunked",
    "_limits",
    "_text",
    "errors",
    "constants",
    "_querystring",
)
