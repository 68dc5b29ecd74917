"""Fixtures for the godot_http suite: the package on sys.path, a message-capturing Environment,
scripted loopback servers, trustme certificates, nginx. Loopback only; no DNS (an injected
resolver maps test names)."""

import os
import sys

import pytest

_PYTHON_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
if _PYTHON_DIR not in sys.path:
    sys.path.insert(0, _PYTHON_DIR)

from godot_http import Environment  # noqa: E402
from godot_http._resolver import Resolver  # noqa: E402
from recorder import Recorder  # noqa: E402
from servers import started_servers  # noqa: E402

TEST_HOSTS = {
    "localhost": ["127.0.0.1"],
    "dual.test": ["::1", "127.0.0.1"],
    "v4.test": ["127.0.0.1"],
    "proxy.test": ["127.0.0.1"],
}


def fake_resolve(host):
    if host in TEST_HOSTS:
        return list(TEST_HOSTS[host])
    raise OSError("unknown test host")


@pytest.fixture
def messages():
    return Recorder()


@pytest.fixture
def env(messages):
    return Environment(
        report_error=messages.errors.append,
        report_warning=messages.warnings.append,
        user_agent="GodotEngine/4.6.3.stable.official (Linux)",
        resolver=Resolver(fake_resolve),
    )


@pytest.fixture
def serve():
    """serve(handler, **kw) -> ScriptedServer; every server is closed after the test."""
    with started_servers() as start:
        yield start


@pytest.fixture(scope="session")
def ca():
    import trustme

    return trustme.CA()


@pytest.fixture(scope="session")
def other_ca():
    import trustme

    return trustme.CA()
