"""Fixtures for the request core: scripted loopback servers (tests/python/http/servers.py) and
a message-capturing Environment."""

import os
import sys

import pytest

_HTTP_TESTS = os.path.join(os.path.dirname(__file__), "..", "http")
if _HTTP_TESTS not in sys.path:
    sys.path.insert(0, _HTTP_TESTS)

from godot_http import Environment  # noqa: E402
from recorder import Recorder  # noqa: E402
from servers import started_servers  # noqa: E402


@pytest.fixture
def messages():
    return Recorder()


@pytest.fixture
def env(messages):
    return Environment(
        report_error=messages.errors.append,
        report_warning=messages.warnings.append,
        user_agent="GodotEngine/4.6.3.stable.official (Linux)",
    )


@pytest.fixture
def serve():
    with started_servers() as start:
        yield start
