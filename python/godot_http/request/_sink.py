"""Where a response body goes: memory (returned in ``request_completed``) or ``download_file``.

``FileSink`` writes every piece as it arrives, so a download of any size needs memory for a few
pieces only; the file is created (truncated) when the first body byte is due, as the built-in
does (a response without a body creates no file). The writes themselves happen on a thread of
the sink's own: a write the kernel throttles (a long download fills the page cache with dirty
pages faster than the disk takes them) would otherwise stall the caller, which may be the main
thread of a game. At most ``MAX_QUEUED`` bytes wait for the disk; ``has_room()`` tells the
caller to stop reading the socket until the disk catches up (backpressure, no unbounded
buffering). ``close()`` lets the writer finish and close the file; ``closed`` says it did.

A plain body is received straight into pieces the sink lends (``FileSink.buffer``, installed as
the client's ``body_buffer_factory`` by the transfer) and the writer hands each piece back once
it is on disk, so a download of any size reuses the same few MiB. A fresh piece per read was
freed by the writer a batch at a time, glibc gave the freed MiBs back to the kernel
(``MADV_DONTNEED``) and the next reads faulted them in again: 100-440 MiB of page faults per
GiB, about 40% of the reading thread's CPU, and now and then a single 1 MiB read that cost
10-30 ms of CPU in the kernel's page-fault path (docs/pyhttprequest.md, Figures; decision 0020).
"""

from __future__ import annotations

import collections
import io
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..client import BodyChunk

__all__ = ["MemorySink", "FileSink", "LentPiece", "MAX_QUEUED", "ASSEMBLY_STEP"]

#: Bytes a FileSink holds for its writer thread before the caller must wait.
MAX_QUEUED = 8 << 20
#: Bytes a MemorySink copies into the body's buffer per ``assemble`` step (well under 1 ms).
ASSEMBLY_STEP = 1 << 20


class LentPiece(bytearray):
    """A piece of the body a ``FileSink`` lends for a read to land in (``FileSink.buffer``),
    taken back once written. Its memory keeps the size it was made with for its whole life:
    ``resize`` (what the client calls after a short read) only sets how many of its bytes are
    body, which ``len()`` and ``data()`` give. (``bytearray`` itself gives memory back when cut
    to less than half, and a third of the reads are cut that short: growing the piece again for
    the next read wrote into freshly recycled memory, the slow case this type exists to avoid.)
    Only ``FileSink`` and the transfer that lends it handle one."""

    __slots__ = ("_used",)

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self._used = size

    def __len__(self) -> int:
        return self._used

    @property
    def capacity(self) -> int:
        return bytearray.__len__(self)

    def resize(self, size: int, /) -> None:
        if not 0 <= size <= self.capacity:
            raise ValueError(f"a piece of {self.capacity} bytes cannot hold {size}")
        self._used = size

    def data(self) -> memoryview:
        """The body bytes it holds."""
        return memoryview(self)[: self._used]


class MemorySink:
    """The body in memory: pieces kept as they arrive, put into one buffer at the end in
    steps of ``ASSEMBLY_STEP`` bytes (``assemble``), so no single step copies the whole body
    (growing one buffer by doubling copied all of it at each doubling, in one frame: 4-8 ms for
    16 MiB, more for bigger bodies). ``buffer_factory(n)`` (optional) makes a writable buffer
    of n bytes: the Godot node passes ``_godot.ByteBuffer``, whose memory becomes the
    PackedByteArray of ``request_completed`` without a copy. Default: bytearray."""

    closed = True

    def __init__(self, buffer_factory: Callable[[int], Any] | None = None) -> None:
        self._factory = buffer_factory if buffer_factory is not None else bytearray
        self._pieces: list[bytes] = []
        self.data: Any = None  # the assembled body
        self._filled = 0
        self.size = 0

    def open(self) -> None:
        pass

    def has_room(self) -> bool:
        return True

    def write(self, piece: BodyChunk) -> None:
        self._pieces.append(piece if type(piece) is bytes else bytes(piece))
        self.size += len(piece)

    def assemble(self, max_bytes: int = -1) -> bool:
        """Copy about ``max_bytes`` more (all when negative) into the body's buffer; True when
        the whole body is there. A buffer with ``resize`` (``_godot.ByteBuffer``) grows by what
        each step copies: making the whole buffer at once zero-fills all of it in one step."""
        pieces = self._pieces
        if self.data is None:
            pieces.reverse()  # taken from the end: pop() is O(1)
            grows = hasattr(self._factory(0), "resize")
            self.data = self._factory(0 if grows else self.size)
        if not pieces:
            return True
        take: list[bytes] = []
        count = 0
        while pieces and (max_bytes < 0 or count < max_bytes):
            piece = pieces.pop()
            take.append(piece)
            count += len(piece)
        start = self._filled
        if len(self.data) < start + count:
            self.data.resize(start + count)
        with memoryview(self.data) as view:
            for piece in take:
                view[start : start + len(piece)] = piece
                start += len(piece)
        self._filled = start
        return not pieces

    def body(self) -> bytes:
        self.assemble()
        return self.data  # type: ignore[no-any-return]  # a bytes-like buffer

    def close(self) -> None:
        pass

    def abort(self) -> None:
        self._pieces = []


class FileSink:
    """``open`` raises OSError (cannot create); a failed write is kept in ``error`` and raised
    by the next ``write``. ``buffer(size)`` lends a piece to receive into (see the module
    docstring); ``pieces_made`` counts the pieces it had to make."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._file: io.FileIO | None = None
        self._pieces: collections.deque[bytes | LentPiece] = collections.deque()
        self._spare: list[LentPiece] = []  # written pieces, back from the writer
        self.pieces_made = 0
        self._cond = threading.Condition()
        self._closing = False
        self.queued = 0
        self.written = 0
        self.error: OSError | None = None
        self.closed = False

    def open(self) -> None:
        self._file = open(self.path, "wb", buffering=0)  # the writer thread closes it
        threading.Thread(target=self._run, name="PyHTTPRequest file writer", daemon=True).start()

    def has_room(self) -> bool:
        return self.queued < MAX_QUEUED

    def buffer(self, size: int) -> LentPiece:
        """A piece of ``size`` bytes for a read to land in: one the writer has written and
        handed back when there is one (the client's ``body_buffer_factory``)."""
        with self._cond:
            spare = self._spare.pop() if self._spare else None
        if spare is None or spare.capacity < size:
            self.pieces_made += 1
            return LentPiece(size)
        spare.resize(size)
        return spare

    def write(self, piece: BodyChunk) -> None:
        if self.error is not None:
            raise self.error
        if self._file is None:
            raise OSError("the download file is not open")
        with self._cond:
            self._pieces.append(piece if type(piece) is bytes or type(piece) is LentPiece else bytes(piece))
            self.queued += len(piece)
            self._cond.notify()

    def body(self) -> bytes:
        return b""

    def close(self) -> None:
        """Write what is queued, then close the file (on the writer thread)."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        if self._file is None:
            self.closed = True

    def abort(self) -> None:
        """Drop what is queued and close the file (what was written stays, as the built-in's)."""
        with self._cond:
            self._pieces.clear()
            self.queued = 0
            self._closing = True
            self._cond.notify()
        if self._file is None:
            self.closed = True

    def _run(self) -> None:
        file = self._file
        assert file is not None
        try:
            while True:
                with self._cond:
                    while not self._pieces and not self._closing:
                        self._cond.wait()
                    if not self._pieces:
                        return
                    # Everything queued in one writev(): the fewer times this thread needs the
                    # GIL, the fewer times the caller's thread can be kept waiting for it (and
                    # no copy is made while holding it).
                    batch = list(self._pieces)
                    self._pieces.clear()
                pieces: list[bytes | memoryview] = [p.data() if isinstance(p, LentPiece) else p for p in batch]
                total = sum(len(p) for p in pieces)
                try:
                    while pieces:
                        n = os.writev(file.fileno(), pieces)
                        if not n:
                            raise OSError("short write")
                        while pieces and n >= len(pieces[0]):
                            n -= len(pieces.pop(0))
                        if n:
                            pieces[0] = memoryview(pieces[0])[n:]
                except OSError as exc:
                    self.error = exc
                    with self._cond:
                        self._pieces.clear()
                        self.queued = 0
                    return
                with self._cond:
                    self.queued -= total
                    self.written += total
                    self._spare.extend(p for p in batch if type(p) is LentPiece)
                del batch
        finally:
            try:
                file.close()
            except OSError as exc:
                self.error = self.error or exc
            self.closed = True
