"""What the client needs from its host program, with defaults that work outside Godot.

The Godot wrapper builds one ``Environment`` with the engine's error printing, its User-Agent
(``GodotEngine/<GODOT_VERSION_FULL_BUILD> (<OS>)``), the project settings
``network/tls/certificate_bundle_override`` and ``network/tls/enable_tls_v1.3``, and the
engine's Variant-to-String conversion. Tests build their own (capturing messages, injecting a
resolver).
"""

import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._querystring import godot_str
from ._resolver import Resolver, default_resolver
from .stream import TCPStream

__all__ = ["Environment", "default_user_agent", "DEFAULT_GODOT_VERSION"]

DEFAULT_GODOT_VERSION = "4.6.3.stable.official"
_OS_NAMES = {
    "Linux": "Linux",
    "Windows": "Windows",
    "Darwin": "macOS",
    "FreeBSD": "FreeBSD",
    "NetBSD": "NetBSD",
    "OpenBSD": "OpenBSD",
}


def default_user_agent(version: str = DEFAULT_GODOT_VERSION) -> str:
    return f"GodotEngine/{version} ({_OS_NAMES.get(platform.system(), 'BSD')})"


def _print_error(message: str) -> None:
    sys.stderr.write(f"ERROR: {message}\n")


def _print_warning(message: str) -> None:
    sys.stderr.write(f"WARNING: {message}\n")


def _certifi_path() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return certifi.where()


@dataclass
class Environment:
    """Host services. Every field has a usable default."""

    report_error: Callable[[str], None] = _print_error
    report_warning: Callable[[str], None] = _print_warning
    user_agent: str = field(default_factory=default_user_agent)
    #: ``network/tls/certificate_bundle_override``; empty means certifi's bundle.
    certificate_bundle_override: str = ""
    tls13_enabled: bool = True
    stringify: Callable[[object], str] = godot_str
    #: None means the process-wide resolver.
    resolver: Resolver | None = None
    #: Makes the unconnected TCP stream of each connection (the Godot wrapper's connects
    #: through the engine's StreamPeerTCP, so that get_connection() can return it).
    tcp_stream: Callable[[], TCPStream] = TCPStream
    #: ``(tcp, options, server_name) -> Stream | None``: the TLS stream of a connection that
    #: uses neither pinning nor CRLs (the Godot wrapper's is the engine's StreamPeerTLS over its
    #: StreamPeerTCP, decision 0013), or None to use ``ssl`` (OpenSSL, ``stream.TLSStream``).
    #: The stream has ``handshake_step()``; a failure it raises as ``TLSReported`` was already
    #: reported by the TLS library.
    tls_stream: Callable[[TCPStream, Any, str], Any] | None = None

    def ca_bundle_path(self) -> str | None:
        return self.certificate_bundle_override or _certifi_path()

    def get_resolver(self) -> Resolver:
        return self.resolver if self.resolver is not None else default_resolver()
