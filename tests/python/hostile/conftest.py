"""Fixtures for the hostile-input suite (issue 6): the pure-Python client against loopback
sockets scripted byte by byte (tests/python/http/servers.py), with the issue's invariants
measured per case: poll() time, tracemalloc peak, descriptors and threads before/after, and the
same client object working again after close().

Slow runs (the nginx soak, 10,000 sequential requests, 5,000 connect/close cycles, the
one-million-input fuzz) are marked ``slow`` and skipped unless selected: ``-m slow``.
"""

import gc
import os
import sys
import time

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
for _p in (os.path.join(_HERE, "..", "..", "..", "python"), os.path.join(_HERE, "..", "http")):
    _p = os.path.abspath(_p)
    if _p not in sys.path:
        sys.path.insert(0, _p)

from godot_http import Environment, HTTPClient  # noqa: E402
from godot_http._resolver import default_resolver  # noqa: E402
from hostile import RESOLVER, Server, fd_count, thread_count  # noqa: E402
from recorder import Recorder  # noqa: E402
from servers import started_servers  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow run: select with -m slow")
    for item in items:
        if "slow" in item.keywords and item.path.is_relative_to(_HERE):
            item.add_marker(skip)


@pytest.fixture
def messages():
    return Recorder()


@pytest.fixture
def leakcheck():
    """Descriptors and threads return to their count before the case (checked at teardown,
    after every server and client of the case is closed)."""
    RESOLVER._ensure_thread()
    default_resolver()._ensure_thread()  # the process-wide one lives for the whole process
    # Sockets that earlier tests left to the garbage collector must not close inside this case.
    gc.collect()
    before = (fd_count(), thread_count())
    yield before
    deadline = time.monotonic() + 3
    while (fd_count(), thread_count()) != before and time.monotonic() < deadline:
        gc.collect()
        time.sleep(0.01)
    assert (fd_count(), thread_count()) == before, f"leak: (fds, threads) {before} -> {(fd_count(), thread_count())}"


@pytest.fixture
def env(messages):
    return Environment(
        report_error=messages.errors.append,
        report_warning=messages.warnings.append,
        user_agent="GodotEngine/4.6.3.stable.official (Linux)",
        resolver=RESOLVER,
    )


@pytest.fixture
def serve(leakcheck):
    with started_servers(Server) as start:
        yield start


@pytest.fixture
def client(env, serve):
    """A client; closed before the servers (teardown order) and before the leak check."""
    c = HTTPClient(env)
    yield c
    c.close()
