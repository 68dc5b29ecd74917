"""Loopback servers that GDScript suites talk to.

A suite folder's conftest.py describes its servers in one function that starts them, puts
their addresses into environment variables (Godot inherits pytest's environment) and returns
them; `BackgroundServers` starts them before the folder's first test and closes them at the
end of the session (or at exit, whichever comes first):

    SERVERS = BackgroundServers(start_servers)

    def pytest_runtest_setup(item):
        SERVERS.ensure_started()

    def pytest_sessionfinish(session):
        SERVERS.stop()
"""

from __future__ import annotations

import atexit
from collections.abc import Callable, Iterable
from typing import Protocol


class Closable(Protocol):
    def close(self) -> None: ...


class BackgroundServers:
    def __init__(self, start: Callable[[], Iterable[Closable]]) -> None:
        self._start = start
        self._running: list[Closable] = []

    def ensure_started(self) -> None:
        if not self._running:
            self._running = list(self._start())
            atexit.register(self.stop)

    def stop(self) -> None:
        while self._running:
            self._running.pop().close()
