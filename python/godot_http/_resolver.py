"""The process-wide asynchronous resolver (Godot's ``IP`` singleton, spec 3 step 9 and 4.1).

One daemon worker thread serves a queue of at most ``RESOLVER_MAX_QUERIES`` (256) slots shared by
every client in the process. ``submit(host)`` takes a slot (or returns ``None`` when all are in
use: the caller reports "Out of resolver queries"); ``poll(qid)`` reports ``WAITING``, ``DONE``
(with the addresses) or ``FAILED``; ``erase(qid)`` frees the slot. Successful results are cached
by (type, host) with no expiry (``clear_cache()`` empties it); failures are never cached. Addresses
come from ``getaddrinfo(host, None, AF_UNSPEC, SOCK_STREAM)`` in its order, de-duplicated.

Tests inject ``resolve_fn(host) -> list[str]`` (raise ``OSError`` or return ``[]`` to fail) so no
query ever leaves the machine.
"""

from __future__ import annotations

import queue
import socket
import threading
from collections.abc import Callable

__all__ = ["Resolver", "default_resolver", "getaddrinfo_resolve", "RESOLVER_MAX_QUERIES", "WAITING", "DONE", "FAILED"]

RESOLVER_MAX_QUERIES = 256
WAITING = 0
DONE = 1
FAILED = 2
_TYPE_ANY = 3  # Godot's IP::TYPE_ANY, part of the cache key


#: ``resolve_fn(host)``: the host's addresses (raise ``OSError`` or return ``[]`` to fail).
ResolveFn = Callable[[str], list[str]]


def getaddrinfo_resolve(host: str) -> list[str]:
    infos = socket.getaddrinfo(host, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in seen:
            seen.append(addr)
    return seen


class _Query:
    __slots__ = ("host", "state", "addresses")

    def __init__(self, host: str) -> None:
        self.host = host
        self.state = WAITING
        self.addresses: list[str] = []


class Resolver:
    def __init__(self, resolve_fn: ResolveFn = getaddrinfo_resolve, max_queries: int = RESOLVER_MAX_QUERIES) -> None:
        self.resolve_fn = resolve_fn
        self.max_queries = max_queries
        self._lock = threading.Lock()
        self._slots: dict[int, _Query] = {}
        self._next_id = 0
        self._cache: dict[tuple[int, str], list[str]] = {}
        # (query id, query) per submitted host; (None, None) ends the worker (close()).
        self._queue: queue.SimpleQueue[tuple[int, _Query] | tuple[None, None]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._work, name="godot_http-resolver", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        while True:
            qid, q = self._queue.get()
            if qid is None or q is None:
                return  # close()
            with self._lock:
                if self._slots.get(qid) is not q:
                    continue  # erased while queued
            try:
                addresses = [a for a in self.resolve_fn(q.host) if isinstance(a, str) and a]
            except Exception:  # noqa: BLE001 - any failure is "cannot resolve"; the worker must live on
                addresses = []
            with self._lock:
                if addresses:
                    self._cache[(_TYPE_ANY, q.host)] = addresses
                    q.addresses = addresses
                    q.state = DONE
                else:
                    q.state = FAILED

    def submit(self, host: str) -> int | None:
        with self._lock:
            if len(self._slots) >= self.max_queries:
                return None
            qid = self._next_id
            self._next_id += 1
            q = _Query(host)
            self._slots[qid] = q
            cached = self._cache.get((_TYPE_ANY, host))
            if cached is not None:
                q.addresses = list(cached)
                q.state = DONE
                return qid
        self._ensure_thread()
        self._queue.put((qid, q))
        return qid

    def poll(self, qid: int) -> tuple[int, list[str]]:
        """Return ``(state, addresses)``; an unknown id is ``FAILED``."""
        q = self._slots.get(qid)
        if q is None:
            return FAILED, []
        return q.state, q.addresses

    def erase(self, qid: int) -> None:
        with self._lock:
            self._slots.pop(qid, None)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def close(self) -> None:
        """End the worker thread once the queries queued before are done (for tests and shutdown).
        A later ``submit`` starts a new worker."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put((None, None))
            thread.join(5)

    def in_use(self) -> int:
        return len(self._slots)


_default: Resolver | None = None
_default_lock = threading.Lock()


def default_resolver() -> Resolver:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Resolver()
    return _default
