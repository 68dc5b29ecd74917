"""Exception classes shared by the layers below the facade.

The facade (``client.py``) is the only place that turns these into a Godot status and ``Error``
code (one table, ``_FAILURES``); nothing here ever reaches a caller of ``HTTPClient``.

* ``ProtocolError``: the peer sent bytes that are not an acceptable HTTP/1.1 response.
* ``LimitExceeded``: a ``ProtocolError`` raised the moment one of the named limits in
  ``_limits.py`` is crossed; its message names the limit.
* ``ChunkError``: a ``ProtocolError`` in chunked framing; carries Godot's own message text.
* ``StreamEOF`` / ``StreamError``: raised by ``stream.Stream`` implementations (clean end of stream,
  or a broken one). They live here so the sans-IO core can name them without importing I/O.
* ``ResolveError``, ``ConnectError``, ``TLSError`` (``TLSReported``: already reported by the
  TLS library), ``ProxyError``: connection set-up failures.
"""

__all__ = [
    "HTTPError",
    "ProtocolError",
    "LimitExceeded",
    "ChunkError",
    "StreamEOF",
    "StreamError",
    "ConnectError",
    "TLSError",
    "TLSReported",
    "ProxyError",
]


class HTTPError(Exception):
    """Base of everything this package raises internally."""


class ProtocolError(HTTPError):
    """The response violates HTTP/1.1 framing in a way we refuse to guess about."""


class LimitExceeded(ProtocolError):
    """A named size/count limit was crossed (see ``_limits``)."""


class ChunkError(ProtocolError):
    """Malformed chunked framing. ``str(exc)`` is Godot's message for the same fault."""


class StreamEOF(HTTPError):
    """The peer ended the stream cleanly (TCP FIN, TLS close_notify)."""


class StreamError(HTTPError):
    """The stream broke (reset, abrupt TLS EOF, any socket error)."""


class ConnectError(HTTPError):
    """A TCP connect could not be started or did not complete.

    ``args == (message, godot_error_code)``; the message is Godot's text for the same failure.
    """

    @property
    def code(self) -> int:
        return self.args[1] if len(self.args) > 1 else 25


class TLSError(HTTPError):
    """TLS set-up or handshake failed (including a public-key pin mismatch)."""


class TLSReported(TLSError):
    """A TLS failure the TLS library has already reported (the engine's StreamPeerTLS prints
    its own ``TLS handshake error`` lines, as with the built-in): nothing more is printed."""


class ProxyError(HTTPError):
    """The HTTPS proxy refused or botched the CONNECT tunnel."""
