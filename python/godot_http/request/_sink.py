"""Where a response body goes: memory (returned in ``request_completed``) or ``download_file``.

``FileSink`` writes every piece as it arrives, so a download of any size needs memory for one
piece only; the file is created (truncated) when the first body byte is due, as the built-in
does (a response without a body creates no file).
"""

from __future__ import annotations

import io

__all__ = ["MemorySink", "FileSink"]


class MemorySink:
    def __init__(self) -> None:
        self.data = bytearray()

    def open(self) -> None:
        pass

    def write(self, piece: bytes) -> None:
        self.data += piece

    def body(self) -> bytes:
        return bytes(self.data)

    def close(self) -> None:
        pass


class FileSink:
    """Raises OSError from ``open`` (cannot create) and ``write`` (cannot write)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: io.FileIO | None = None
        self.written = 0

    def open(self) -> None:
        self._file = open(self.path, "wb", buffering=0)

    def write(self, piece: bytes) -> None:
        if self._file is None:
            raise OSError("the download file is not open")
        view = memoryview(piece)
        while view:
            n = self._file.write(view)
            if not n:
                raise OSError("short write")
            view = view[n:]
        self.written += len(piece)

    def body(self) -> bytes:
        return b""

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
