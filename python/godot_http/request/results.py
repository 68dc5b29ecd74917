"""``HTTPRequest.Result``: Godot 4.6's values, and what a finished request delivers."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

__all__ = ["Result", "Completion"]


class Result(IntEnum):
    RESULT_SUCCESS = 0
    RESULT_CHUNKED_BODY_SIZE_MISMATCH = 1
    RESULT_CANT_CONNECT = 2
    RESULT_CANT_RESOLVE = 3
    RESULT_CONNECTION_ERROR = 4
    RESULT_TLS_HANDSHAKE_ERROR = 5
    RESULT_NO_RESPONSE = 6
    RESULT_BODY_SIZE_LIMIT_EXCEEDED = 7
    RESULT_BODY_DECOMPRESS_FAILED = 8
    RESULT_REQUEST_FAILED = 9
    RESULT_DOWNLOAD_FILE_CANT_OPEN = 10
    RESULT_DOWNLOAD_FILE_WRITE_ERROR = 11
    RESULT_REDIRECT_LIMIT_REACHED = 12
    RESULT_TIMEOUT = 13


class Completion(NamedTuple):
    """The four arguments of ``request_completed``."""

    result: int
    response_code: int
    headers: list[str]
    body: bytes
