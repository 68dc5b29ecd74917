"""``HTTPClient``: Godot 4.6's HTTPClient, method for method, on top of the core and the streams.

Theory of operation
-------------------
The client is a state machine over Godot's ``Status`` values, advanced only by ``poll()``,
``request()`` and ``read_response_body_chunk()``; each call does at most a bounded amount of
non-blocking work (blocking mode excepted, spec 4.7) and returns. Per status, ``poll()`` does:

* RESOLVING: ask the resolver; on success try each address in order (``_connect_candidates``).
* CONNECTING: advance the TCP connect (falling back to the next address), then the HTTPS-proxy
  CONNECT exchange, then the TLS handshake, one step per poll.
* REQUESTING: send what the socket accepts of the request, then read and parse the response head.
* CONNECTED / BODY: a liveness check (has the peer closed?).

All bytes read from the stream land in one receive buffer (``_rbuf``); the head reader and the
body readers consume from its front, so nothing past a response is lost (the built-in reads the
head one byte per syscall to get the same effect).

Errors: the layers below raise (``errors.py``); ``_fail`` maps every exception through the single
table ``_FAILURES`` to (status, Error, whether to ``close()`` first), reports the message through
``Environment.report_error`` and returns the Error. No exception ever leaves a public method.
Deliberate differences from the built-in are listed in ``docs/http-differences.md``.
"""

import base64
import functools
import ipaddress
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol, cast

from . import _chunked
from ._crl import check_crls
from ._der import spki_pin
from ._head import HeadReader, find_head_end, parse_head
from ._querystring import query_string
from ._request import (
    check_content_length,
    check_headers,
    check_method,
    check_url,
    has_control,
    host_authority,
    host_header_value,
    percent_encode_non_ascii,
    serialize_request,
)
from ._resolver import DONE as _RESOLVE_DONE
from ._resolver import WAITING as _RESOLVE_WAITING
from .constants import Method, ResponseCode, Status
from .environment import Environment
from .errors import ConnectError, ProtocolError, ProxyError, StreamEOF, StreamError, TLSError, TLSReported
from .stream import TCP_CONNECTED, TCP_CONNECTING, TCP_NONE, Stream, TLSStream
from .tls import TLSOptions, make_context

__all__ = ["HTTPClient", "HOST_MIN_LEN", "READ_CHUNK_SIZE_MIN", "READ_CHUNK_SIZE_MAX", "DEFAULT_READ_CHUNK_SIZE"]

#: Godot's ``HOST_MIN_LEN``: shorter hosts (after the scheme prefix) are refused.
HOST_MIN_LEN = 4
DEFAULT_READ_CHUNK_SIZE = 65536
READ_CHUNK_SIZE_MIN = 256
READ_CHUNK_SIZE_MAX = 1 << 24
#: How much one receive-buffer refill asks for while reading heads and chunked bodies.
RECV_SIZE = 65536

# Plain ints on the hot paths (enum attribute lookups cost more than the work they name).
OK = 0
ERR_UNAVAILABLE = 2
ERR_UNCONFIGURED = 3
ERR_CANT_CONNECT = 25
ERR_CANT_RESOLVE = 26
ERR_CONNECTION_ERROR = 27
ERR_INVALID_DATA = 30
ERR_INVALID_PARAMETER = 31
ERR_BUG = 47
S_DISCONNECTED = 0
S_RESOLVING = 1
S_CANT_RESOLVE = 2
S_CONNECTING = 3
S_CANT_CONNECT = 4
S_CONNECTED = 5
S_REQUESTING = 6
S_BODY = 7
S_CONNECTION_ERROR = 8
S_TLS_HANDSHAKE_ERROR = 9
METHOD_HEAD = 1
METHOD_CONNECT = 7

# HTTPS-proxy tunnel progress (only while CONNECTING).
PROXY_NONE = 0  # no tunnel needed, or it is established
PROXY_PENDING = 1  # TCP to the proxy not yet up
PROXY_EXCHANGE = 2  # CONNECT request queued/sent, waiting for the proxy's answer

_NEED_DATA = _chunked.NEED_DATA
_END_OF_CHUNKS = _chunked.END_OF_CHUNKS
_END_OF_MESSAGE = _chunked.END_OF_MESSAGE

#: The one table that turns a lower-layer exception into Godot's outcome:
#: (phase, exception class) -> (status, Error or None = the exception's own code, close() first).
#: The most specific class in the exception's MRO wins; phase "*" applies to every phase.
_FAILURES: dict[tuple[str, type[BaseException]], tuple[int, int | None, bool]] = {
    ("resolve", ConnectError): (S_CANT_CONNECT, None, False),
    ("connect", ConnectError): (S_CANT_CONNECT, None, True),
    ("connect", StreamError): (S_CANT_CONNECT, ERR_CANT_CONNECT, True),
    ("tls", TLSError): (S_TLS_HANDSHAKE_ERROR, ERR_CANT_CONNECT, True),
    ("tls", StreamError): (S_TLS_HANDSHAKE_ERROR, ERR_CANT_CONNECT, True),
    ("proxy", ProxyError): (S_CANT_CONNECT, ERR_CANT_CONNECT, False),
    ("proxy", ProtocolError): (S_CANT_CONNECT, ERR_CONNECTION_ERROR, False),
    ("proxy", StreamEOF): (S_CANT_CONNECT, ERR_CONNECTION_ERROR, False),
    ("proxy", StreamError): (S_CANT_CONNECT, ERR_CONNECTION_ERROR, False),
    ("request", StreamEOF): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, True),
    ("request", StreamError): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, True),
    ("request", ProtocolError): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, True),
    ("liveness", Exception): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, False),
    ("body", ProtocolError): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, False),
    ("body", StreamError): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, True),
    ("body", StreamEOF): (S_CONNECTION_ERROR, ERR_CONNECTION_ERROR, True),
    ("*", Exception): (S_CONNECTION_ERROR, ERR_BUG, True),
}


class BodyBuffer(Protocol):
    """What ``body_buffer_factory(size)`` makes (``_godot.ByteBuffer`` inside Godot): a writable
    buffer of ``size`` bytes that a plain body's piece is received into and that
    ``read_response_body_chunk`` returns as it is."""

    def __buffer__(self, flags: int, /) -> memoryview: ...
    def __len__(self) -> int: ...
    def resize(self, size: int, /) -> None: ...


#: A piece of a response body: bytes, or a buffer (``body_buffer_factory``, ``body_receiver``).
BodyChunk = bytes | BodyBuffer


class BodyReceiver(Protocol):
    """What ``body_receiver`` is (``_godot.BodyReceiver`` inside Godot): reads a plain body
    from a non-blocking socket, one call per read. The client decides when a body starts and
    what its end means; the receiver receives and counts (see ``HTTPClient._start_receiving``).
    """

    #: Body bytes still to come (-1: until the peer closes).
    left: int
    #: The most one ``receive()`` returns.
    chunk_size: int
    #: After ``receive()``: 0 more to come, 1 the body is complete, -1 the peer closed, else errno.
    outcome: int

    def start(self, fd: int, left: int, chunk_size: int, /) -> None: ...
    def receive(self) -> BodyChunk:
        """The next piece, b"" when nothing has arrived."""
        ...

    def peer_closed(self) -> bool: ...
    def stop(self) -> int:
        """Stop receiving (the buffers stay for the next body); returns ``left``."""
        ...

    def clear(self) -> None:
        """Stop receiving and let go of the buffers."""
        ...


def _ipv6_literal(host: str) -> str | None:
    """The address of an IPv6 literal written ``::1`` or ``[::1]``, else None."""
    inner = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if ":" not in inner or "%" in inner:
        return None
    try:
        ipaddress.IPv6Address(inner)
    except ValueError:
        return None
    return inner


@functools.lru_cache(maxsize=128)
def _serialize_bare(method: int, target: str, host: str, user_agent: str) -> bytes:
    """``serialize_request`` of a request without headers and body (most GETs), made once per
    target: a game asks for the same few URLs again and again."""
    return serialize_request(method, target, (), b"", host, user_agent)


@functools.lru_cache(maxsize=64)
def _is_ip_literal(host: str) -> bool:
    """Whether ``host`` is an IP address (no resolver needed). Cached: a game connects to the
    same few hosts again and again, and parsing one costs ~2 us (docs/benchmarks.md)."""
    if "%" in host or not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class HTTPClient:
    """Drop-in for Godot's ``HTTPClient`` (see the spec); extras: ``set_tls_public_key_pins``,
    ``set_tls_crls``."""

    # Godot's enums as class attributes, like ``HTTPClient.STATUS_BODY`` in GDScript.
    locals().update({member.name: int(member) for enum in (Status, Method, ResponseCode) for member in enum})

    def __init__(
        self,
        env: Environment | None = None,
        *,
        body_buffer_factory: Callable[[int], BodyBuffer] | None = None,
        body_receiver: BodyReceiver | None = None,
    ) -> None:
        """``body_buffer_factory`` and ``body_receiver``: as the properties of those names (given
        here, a new client is made without their setters' work)."""
        self.env = env if env is not None else Environment()
        self._status = S_DISCONNECTED
        self._resolver: Any = None  # a Resolver while RESOLVING
        self._resolving: int | None = None  # the resolver query while RESOLVING
        self._ip_candidates: list[str] = []
        self._conn_host = ""
        self._conn_port = -1
        self._server_host = ""
        self._server_port = -1
        self._http_proxy_host = ""
        self._http_proxy_port = -1
        self._https_proxy_host = ""
        self._https_proxy_port = -1
        self._blocking = False
        self._handshaking = False
        self._head_request = False
        self._tls_options: Any = None  # TLSOptions, or None for plain HTTP
        self._chunked = False
        self._decode_chunked = False
        self._chunk_reader = _chunked.ChunkedReader()
        self._body_size = -1
        self._body_left = 0
        self._read_until_eof = False
        #: Whether the connection may carry the next request once this response is complete.
        self._reusable = True
        self._request_buf = b""
        self._request_off = 0
        # One TCP stream per client, reconnected by each connect_to_host (as the built-in keeps
        # one StreamPeerTCP: get_connection() returns the same object across connections).
        self._tcp = self.env.tcp_stream()
        # The Stream requests go through (TCP, TLS, or a caller's), None when closed. Any: the I/O
        # paths use it without a None check, as they only run while a connection exists.
        self._connection: Any = None
        self._proxy = PROXY_NONE
        self._response_num = 0
        self._response_headers: list[str] = []
        self._read_chunk_size = DEFAULT_READ_CHUNK_SIZE
        self._rbuf = bytearray()
        self._body_buf: bytearray | None = None  # reusable receive buffer of _read_plain without a factory
        self._body_buffer_factory = body_buffer_factory  # see the property
        self._spare_body_buffer: BodyBuffer | None = None
        self._body_receiver = body_receiver  # see the property
        # The body_receiver while it reads the current body (_start_receiving). Then, and only
        # then, the status is BODY, the mode non-blocking, _rbuf empty and the connection plain
        # TCP; whatever changes one of these stops it first (_stop_receiving).
        self._receiving: BodyReceiver | None = None
        self._head_reader = HeadReader()
        self._pins: tuple[str, ...] = ()
        self._crls = ""

    # ------------------------------------------------------------------ failure mapping
    def _fail(self, phase: str, exc: BaseException, message: str | None = None, keep_response: bool = False) -> int:
        self._stop_receiving()
        entry = _FAILURES[("*", Exception)]  # what the table does not name is an internal error
        for cls in type(exc).__mro__:
            found = _FAILURES.get((phase, cls)) or _FAILURES.get(("*", cls))
            if found is not None:
                entry = found
                break
        status, error, close_first = entry
        if error is None:
            error = getattr(exc, "code", ERR_CANT_CONNECT)
        if message is None:
            message = exc.args[0] if exc.args and isinstance(exc.args[0], str) else ""
            if entry == _FAILURES[("*", Exception)]:
                message = f"Internal error in HTTPClient ({type(exc).__name__}: {exc})."
        if message:
            self.env.report_error(message)
        if close_first:
            if keep_response:
                self._drop_connection()
            else:
                self.close()
        self._status = status
        return error

    # ------------------------------------------------------------------ connecting
    def connect_to_host(self, host: str, port: int = -1, tls_options: TLSOptions | None = None) -> int:
        try:
            return self._connect_to_host(host, port, tls_options)
        except Exception as exc:  # noqa: BLE001 - the boundary: never raise to the caller
            return self._fail("*", exc)

    def _connect_to_host(self, host: object, port: object, tls_options: object) -> int:
        # object: the public method's types are not enforced; untyped callers' values are checked here
        self.close()
        if not isinstance(host, str) or not isinstance(port, int):
            self.env.report_error("connect_to_host: host must be a String and port an int.")
            return ERR_INVALID_PARAMETER
        if tls_options is not None and not isinstance(tls_options, TLSOptions):
            self.env.report_error("connect_to_host: tls_options must be a TLSOptions or null.")
            return ERR_INVALID_PARAMETER
        self._conn_port = port
        self._conn_host = host
        self._tls_options = tls_options
        self._ip_candidates = []
        prefix = host[:8].lower()
        if prefix.startswith("http://"):
            self._conn_host = host[7:]
            self._tls_options = None
        elif prefix.startswith("https://"):
            self._conn_host = host[8:]
            if self._tls_options is None:
                self._tls_options = TLSOptions.client()
        v6 = _ipv6_literal(self._conn_host)
        if v6 is not None:
            # "::1" and "[::1]" are addresses (the built-in refuses the first as shorter than
            # HOST_MIN_LEN and hands the second to the resolver, which fails).
            self._conn_host = v6
        tls = self._tls_options
        if tls is not None and tls.is_server():
            self.env.report_error(
                'Condition "tls_options.is_valid() && tls_options->is_server()" is true. '
                "Returning: ERR_INVALID_PARAMETER"
            )
            return ERR_INVALID_PARAMETER
        if len(self._conn_host) < HOST_MIN_LEN and v6 is None:
            self.env.report_error(
                'Condition "conn_host.length() < HOST_MIN_LEN" is true. Returning: ERR_INVALID_PARAMETER'
            )
            return ERR_INVALID_PARAMETER
        if has_control(self._conn_host):
            self.env.report_error("Invalid host: it contains CR, LF or NUL.")
            return ERR_INVALID_PARAMETER
        if self._conn_port < 0:
            self._conn_port = 443 if tls is not None else 80
        self._connection = self._tcp
        if tls is not None and self._https_proxy_port != -1:
            self._proxy = PROXY_PENDING
            self._server_host, self._server_port = self._https_proxy_host, self._https_proxy_port
        elif tls is None and self._http_proxy_port != -1:
            self._server_host, self._server_port = self._http_proxy_host, self._http_proxy_port
        else:
            self._server_host, self._server_port = self._conn_host, self._conn_port
        if _is_ip_literal(self._server_host):
            try:
                self._tcp.connect(self._server_host, self._server_port)
            except ConnectError as exc:
                return self._fail("resolve", exc)
            self._status = S_CONNECTING
            return OK
        self._resolver = self.env.get_resolver()
        qid = self._resolver.submit(self._server_host)
        if qid is None:
            self.env.report_warning("Out of resolver queries")
            self._status = S_CANT_RESOLVE
            return ERR_CANT_RESOLVE
        self._resolving = qid
        self._status = S_RESOLVING
        return OK

    def _connect_candidates(self, phase: str, last_error: int) -> int:
        """Start a connect to the next candidate address that accepts one."""
        error = last_error
        while self._ip_candidates:
            ip = self._ip_candidates.pop(0)
            try:
                self._tcp.connect(ip, self._server_port)
            except ConnectError as exc:
                self.env.report_error(exc.args[0])
                error = exc.code
                continue
            self._status = S_CONNECTING
            return OK
        if phase == "connect":
            self.close()
        self._status = S_CANT_CONNECT
        return error

    # ------------------------------------------------------------------ poll
    def poll(self) -> int:
        receiving = self._receiving
        if receiving is not None:
            # A body straight from the socket (the bulk loop's poll): liveness in one C call,
            # which cannot fail (a broken socket is a closed peer to it). _godot.ClientCall
            # makes this test in C for Godot's PyHTTPClient (decision 0021): keep the two in step.
            if self._read_until_eof or not receiving.peer_closed():
                return OK
            self._stop_receiving()
        status = self._status
        if status == S_CONNECTED or status == S_BODY:
            # Liveness (spec 4.5). Buffered bytes keep the connection alive; a close-delimited body
            # learns about EOF from the next read instead (fixes the built-in's race).
            if self._rbuf or (status == S_BODY and self._read_until_eof):
                return OK
            conn = self._connection
            try:
                if conn is not None and not conn.peer_closed():
                    return OK
            except Exception as exc:  # noqa: BLE001
                return self._fail("liveness", exc)
            if status == S_BODY and not self._decode_chunked and self._body_left == 0:
                pass  # nothing was missing (an empty body not yet read)
            elif status == S_BODY:
                self.env.report_error("Connection closed by the server before the whole body was received.")
            self._status = S_CONNECTION_ERROR
            return ERR_CONNECTION_ERROR
        try:
            if status == S_REQUESTING:
                return self._poll_requesting()
            if status == S_CONNECTING:
                return self._poll_connecting()
            if status == S_RESOLVING:
                return self._poll_resolving()
        except Exception as exc:  # noqa: BLE001
            return self._fail("*", exc)
        if status == S_DISCONNECTED:
            return ERR_UNCONFIGURED
        if status == S_CANT_CONNECT:
            return ERR_CANT_CONNECT
        if status == S_CANT_RESOLVE:
            return ERR_CANT_RESOLVE
        return ERR_CONNECTION_ERROR  # CONNECTION_ERROR, TLS_HANDSHAKE_ERROR

    def _poll_resolving(self) -> int:
        if self._resolving is None:
            self.env.report_error('Condition "resolving == IP::RESOLVER_INVALID_ID" is true. Returning: ERR_BUG')
            return ERR_BUG
        state, addresses = self._resolver.poll(self._resolving)
        if state == _RESOLVE_WAITING:
            return OK
        self._resolver.erase(self._resolving)
        self._resolving = None
        if state == _RESOLVE_DONE and addresses:
            self._ip_candidates = list(addresses)
            return self._connect_candidates("resolve", ERR_CANT_CONNECT)
        self.close()
        self._status = S_CANT_RESOLVE
        return ERR_CANT_RESOLVE

    def _poll_connecting(self) -> int:
        tcp = self._tcp
        state = tcp.poll_connect()
        if state == TCP_CONNECTING:
            return OK
        if state != TCP_CONNECTED:
            return self._connect_candidates("connect", ERR_CANT_CONNECT)
        if self._tls_options is None:
            self._ip_candidates = []
            self._status = S_CONNECTED
            return OK
        if self._proxy != PROXY_NONE:
            try:
                return self._poll_proxy()
            except Exception as exc:  # noqa: BLE001
                return self._fail("proxy", exc)
        try:
            return self._poll_handshake()
        except Exception as exc:  # noqa: BLE001
            if isinstance(exc, TLSReported):
                return self._fail("tls", exc, "")
            return self._fail("tls", exc, f"TLS handshake error: {exc.args[0] if exc.args else exc}")

    def _poll_proxy(self) -> int:
        if self._proxy == PROXY_PENDING:
            # Fixed: the built-in sends "Host: :-1" here (spec 4.4).
            target = f"{host_authority(self._conn_host)}:{self._conn_port}"
            self._request_buf = serialize_request(METHOD_CONNECT, target, (), b"", target, self.env.user_agent)
            self._request_off = 0
            self._head_reader.reset()
            self._proxy = PROXY_EXCHANGE
            return OK
        if not self._send_pending():
            return OK
        while True:
            block = self._head_reader.extract(self._rbuf) if self._rbuf else None
            if block is None:
                if not self._fill():
                    return OK
                continue
            head = parse_head(block, False)
            if head.interim:
                self._head_reader.note_interim()
                continue
            break
        if not 200 <= head.code < 300:
            raise ProxyError(f"HTTPS proxy refused the CONNECT tunnel: HTTP {head.code}.")
        if self._rbuf:
            raise ProxyError("HTTPS proxy sent bytes after its CONNECT response.")
        self._proxy = PROXY_NONE
        return OK

    def _poll_handshake(self) -> int:
        if not self._handshaking:
            options = self._tls_options
            crls = self._crls
            engine_tls = self.env.tls_stream
            tls = None
            if engine_tls is not None and not self._pins and not crls:
                # The drop-in case: the host's TLS (the engine's StreamPeerTLS, which
                # get_connection() then returns); pinning and CRLs need OpenSSL (decision 0013).
                tls = engine_tls(self._tcp, options, options.common_name_override or self._conn_host)
            if tls is None:
                tls = self._openssl_stream(options, crls)
            self._connection = tls
            self._handshaking = True
        tls = self._connection
        if not hasattr(tls, "handshake_step"):
            raise TLSError("TLS stream lost.")
        if not tls.handshake_step():
            return OK
        if self._pins:
            der = tls.peer_certificate()
            pin = spki_pin(der) if der else ""
            if pin not in self._pins:
                raise TLSError(f"public key pin mismatch (server pin-sha256 is {pin!r}).")
        self._handshaking = False
        self._ip_candidates = []
        self._status = S_CONNECTED
        return OK

    def _openssl_stream(self, options: TLSOptions, crls: str) -> TLSStream:
        """A TLS stream of Python's ssl over the connected TCP stream (pinning, CRLs, or no
        engine TLS in this environment)."""
        if crls and options.is_unsafe_client() and not options.trusted_ca_chain:
            self.env.report_warning(
                "The CRLs are not checked: TLSOptions.client_unsafe() without a trusted chain verifies no certificate."
            )
        try:
            context = make_context(options, self.env.ca_bundle_path(), self.env.tls13_enabled, crls or None)
        except Exception:  # noqa: BLE001 - bad chain or missing bundle
            raise TLSError("SSL module failed to initialize!") from None
        if options.is_unsafe_client():
            name = None
        else:
            name = options.common_name_override or self._conn_host
        return TLSStream(self._tcp, context, name)

    # ------------------------------------------------------------------ I/O helpers
    def _send_pending(self) -> bool:
        """Send what the stream accepts of ``_request_buf``; True when all is sent."""
        buf = self._request_buf
        if not buf:
            return True
        conn = self._connection
        off = self._request_off
        n = len(buf)
        while off < n:
            sent = conn.send(buf[off:] if off else buf)
            if sent:
                off += sent
                continue
            if not self._blocking:
                self._request_off = off
                return False
            conn.wait(False, True, None)
        self._request_buf = b""
        self._request_off = 0
        return True

    def _fill_head(self) -> bool:
        """``_fill`` for a response head: on a stream that can peek, take only up to the end of
        the head, so the body stays in the socket as with the built-in (which reads heads one
        byte at a time): a caller reading it through ``get_connection()`` sees all of it."""
        conn = self._connection
        if not conn.can_peek:
            return self._fill_head_exactly(conn) if conn.exact_head else self._fill()
        rbuf = self._rbuf
        while True:
            data = conn.peek(RECV_SIZE)
            if data:
                if rbuf:
                    keep = 3 if len(rbuf) > 3 else len(rbuf)  # a terminator may span two fills
                    end = find_head_end(rbuf[len(rbuf) - keep :] + data)
                else:  # the usual case: the whole head arrives in one piece
                    keep = 0
                    end = find_head_end(data)
                take = len(data) if end < 0 else max(1, end - keep)
                rbuf += conn.recv(take)
                return True
            if not self._blocking:
                return False
            conn.wait(True, False, None)

    def _fill_head_exactly(self, conn: Stream) -> bool:
        """``_fill_head`` for a stream that cannot peek but that the caller may read after us
        (``Stream.exact_head``): each read is too short to pass the end of the head. A head
        ends with ``\\n\\n`` or ``\\r\\n\\r\\n``, so after a ``\\n`` or ``\\r\\n\\r`` one more byte
        may end it, otherwise at least two are needed."""
        rbuf = self._rbuf
        while True:
            want = 1 if rbuf.endswith((b"\n", b"\r\n\r")) else 2
            data = conn.recv(want)
            if data:
                rbuf += data
                return True
            if not self._blocking:
                return False
            conn.wait(True, False, None)

    def _fill(self) -> bool:
        """Append available bytes to the receive buffer (waiting in blocking mode)."""
        conn = self._connection
        while True:
            data = conn.recv(RECV_SIZE)
            if data:
                self._rbuf += data
                return True
            if not self._blocking:
                return False
            conn.wait(True, False, None)

    # ------------------------------------------------------------------ requests
    def _poll_requesting(self) -> int:
        try:
            if self._request_buf:  # not sent yet, or only part of it (request() sends when it can)
                if self._request_off == 0 and self._connection.peer_closed():
                    # An idle keep-alive connection the server has closed: send nothing (a request
                    # written into it may still reach a half-closed server), fail as the built-in does.
                    self.close()
                    self._status = S_CONNECTION_ERROR
                    self.env.report_error(
                        "The server closed the connection before the request was sent "
                        "(an idle keep-alive connection); nothing was sent. Reconnect and retry."
                    )
                    return ERR_CONNECTION_ERROR
                if not self._send_pending():
                    return OK
            reader = self._head_reader
            rbuf = self._rbuf
            while True:
                block = reader.extract(rbuf) if rbuf else None
                if block is None:
                    if not self._fill_head():
                        return OK
                    continue
                head = parse_head(block, self._head_request)
                if head.interim:
                    reader.note_interim()
                    continue
                break
        except StreamEOF as exc:
            return self._fail(
                "request",
                exc,
                "Connection closed by the server before the response head was "
                f"complete ({self._head_reader.received(self._rbuf)} bytes received).",
            )
        except StreamError as exc:
            return self._fail("request", exc, f"Connection broken while waiting for the response: {exc}.")
        except Exception as exc:  # noqa: BLE001
            return self._fail("request", exc)
        if head.decode_error:
            self.env.report_error(head.decode_error)
        self._response_num = head.code
        self._response_headers = head.headers
        self._body_size = head.body_size
        self._body_left = head.body_size if head.body_size > 0 else 0
        self._chunked = head.chunked
        self._decode_chunked = head.decode_chunked
        self._chunk_reader.reset()
        self._read_until_eof = head.read_until_eof
        # A body-less response that announced chunked framing (HEAD, 204, 304) leaves it open
        # whether an empty chunked body follows (waitress sends "0\r\n\r\n"): not reusable.
        self._reusable = head.keep_alive and not (head.chunked and not head.decode_chunked)
        if head.status == S_CONNECTED and head.code != 101 and not self._reusable:
            # No body, but the connection ends with this response: one empty read then ends
            # it (DISCONNECTED), as the built-in's read does for a 204 with Connection: close.
            self._status = S_BODY
        else:
            self._status = head.status
            if head.status == S_BODY and not head.decode_chunked:
                self._start_receiving()  # the body's first poll() and read go straight to C
        return OK

    def request(self, method: int, url: str, headers: Sequence[str], body: object = "") -> int:
        """``body``: a str, sent UTF-8 encoded (anything else: ERR_INVALID_PARAMETER)."""
        if not isinstance(body, str):
            self.env.report_error("request: body must be a String.")
            return ERR_INVALID_PARAMETER
        return self._request(method, url, headers, body.encode("utf-8", "surrogatepass"))

    def request_raw(self, method: int, url: str, headers: Sequence[str], body: object) -> int:
        """``body``: bytes, bytearray or memoryview, sent as it is (anything else: ERR_INVALID_PARAMETER)."""
        if not isinstance(body, (bytes, bytearray, memoryview)):
            self.env.report_error("request_raw: body must be bytes.")
            return ERR_INVALID_PARAMETER
        return self._request(method, url, headers, bytes(body))

    def _request(self, method: int, url: object, headers: Sequence[str], body: bytes) -> int:
        try:
            problem = check_method(method)
            if problem is None:
                problem = check_url(method, url)
            if problem is not None:
                self.env.report_error(problem[1])
                return problem[0]
            assert isinstance(url, str)  # check_url refused anything else
            if self._status != S_CONNECTED:
                self.env.report_error(
                    'Condition "status != STATUS_CONNECTED" is true. Returning: ERR_INVALID_PARAMETER'
                )
                return ERR_INVALID_PARAMETER
            if self._connection is None:
                self.env.report_error('Condition "connection.is_null()" is true. Returning: ERR_INVALID_DATA')
                return ERR_INVALID_DATA
            if isinstance(headers, (str, bytes)) or not hasattr(headers, "__iter__"):
                self.env.report_error("request: headers must be an array of Strings.")
                return ERR_INVALID_PARAMETER
            if headers:  # an empty array (most requests) has nothing to check
                if not all(isinstance(h, str) for h in headers):
                    self.env.report_error("request: headers must be an array of Strings.")
                    return ERR_INVALID_PARAMETER
                problem = check_headers(headers) or check_content_length(headers, len(body))
                if problem is not None:
                    self.env.report_error(problem[1])
                    return problem[0]
            conn = self._connection
            # An idle plain connection (one poll(0): no bytes, no FIN) has nothing stale and can
            # take the request now (the built-in queues it for its first poll()); anything else
            # is decided by a read here and the first poll() (_poll_requesting), as before.
            send_now = not self._rbuf and conn is self._tcp and not self._blocking and conn.idle()
            stale = 0 if send_now else self._stale_bytes()
            if stale:
                # HTTP/1.1 without pipelining: nothing may follow a complete response. Reading these
                # bytes as the next response would be a response-splitting desync (issue 6).
                self.close()
                self._status = S_CONNECTION_ERROR
                self.env.report_error(
                    f"The server sent {stale} unexpected bytes after the previous response; "
                    "the connection is closed (response desync refused)."
                )
                return ERR_CONNECTION_ERROR
            if not url.isascii():
                url = percent_encode_non_ascii(url)
            tls = self._tls_options is not None
            host = host_header_value(self._conn_host, self._conn_port, tls)
            if not tls and self._http_proxy_port != -1:
                url = f"http://{host_authority(self._conn_host)}:{self._conn_port}{url}"
            if headers or body:
                self._request_buf = serialize_request(method, url, headers, body, host, self.env.user_agent)
            else:
                self._request_buf = _serialize_bare(method, url, host, self.env.user_agent)
            self._request_off = 0
            self._head_request = method == METHOD_HEAD
            self._head_reader.reset()
            self._status = S_REQUESTING
            if send_now:
                try:
                    self._send_pending()  # what the socket takes now; poll() sends the rest
                except (StreamError, StreamEOF):
                    pass  # the first poll() sends again and reports the failure, as without this
            return OK
        except Exception as exc:  # noqa: BLE001
            return self._fail("*", exc)

    def _stale_bytes(self) -> int:
        """Bytes already received on a CONNECTED connection (read without blocking), or 0."""
        if not self._rbuf:
            try:
                data = self._connection.recv(RECV_SIZE)
            except (StreamEOF, StreamError):
                return 0  # a dead connection: the request's poll reports it
            if data:
                self._rbuf += data
        return len(self._rbuf)

    # ------------------------------------------------------------------ bodies
    def read_response_body_chunk(self) -> BodyChunk:
        receiving = self._receiving
        if receiving is not None:
            # Every read of a bulk download: one C call (body_receiver). _godot.ClientCall
            # makes the same three steps in C for Godot's PyHTTPClient (decision 0021): keep the
            # two in step.
            try:
                chunk = receiving.receive()
            except Exception as exc:  # noqa: BLE001 - out of memory: the boundary reports it
                return self._receive_failed(exc)
            if receiving.outcome:
                return self._end_receiving(chunk)
            return chunk
        if self._status != S_BODY:
            self.env.report_error('Condition "status != STATUS_BODY" is true. Returning: PackedByteArray()')
            return b""
        try:
            if self._decode_chunked:
                return self._read_chunked()
            if self._start_receiving():
                return self.read_response_body_chunk()
            return self._read_plain()
        except StreamEOF as exc:
            # The built-in keeps the response code here (it does not close()); so do we.
            self._fail(
                "body", exc, "Connection closed by the server before the end of the chunked body.", keep_response=True
            )
            return b""
        except Exception as exc:  # noqa: BLE001
            self._fail("body", exc)
            return b""

    @property
    def body_buffer_factory(self) -> Callable[[int], BodyBuffer] | None:
        """Optional: size -> a fresh writable buffer with ``resize(n)`` that ``_read_plain``
        receives a plain body's piece into and returns as it is (the Godot wrapper passes
        ``_godot.ByteBuffer``, which becomes the PackedByteArray without a copy). An unused one
        is kept for the next read."""
        return self._body_buffer_factory

    @body_buffer_factory.setter
    def body_buffer_factory(self, factory: Callable[[int], BodyBuffer] | None) -> None:
        self._body_buffer_factory = factory
        self._spare_body_buffer = None

    @property
    def body_receiver(self) -> BodyReceiver | None:
        """Optional: reads plain TCP bodies in non-blocking mode, one call per read (the Godot
        wrapper passes a ``_godot.BodyReceiver``: the bytes land in the memory of the previous
        chunk when the engine let go of it, src/receive.c). Other bodies, and all of them
        without one, are read by ``_read_plain`` and ``_read_chunked``."""
        return self._body_receiver

    @body_receiver.setter
    def body_receiver(self, receiver: BodyReceiver | None) -> None:
        self._stop_receiving()
        if self._body_receiver is not None:
            self._body_receiver.clear()
        self._body_receiver = receiver

    def _start_receiving(self) -> bool:
        """Hands the rest of a plain body to ``body_receiver`` when it can read it: non-blocking
        mode, plain TCP (a socket the client owns), nothing buffered. Called when a head moves the
        status to BODY (so the body's first poll() and read are one C call each) and by a read in BODY."""
        receiver = self._body_receiver
        if receiver is None or self._blocking or self._rbuf or self._decode_chunked:
            return False
        conn = self._connection
        if conn is None or conn is not self._tcp:
            return False
        fd: int = conn._fd
        until_eof = self._read_until_eof
        if fd < 0 or (not until_eof and self._body_left <= 0):
            return False
        receiver.start(fd, -1 if until_eof else self._body_left, self._read_chunk_size)
        self._receiving = receiver
        return True

    def _stop_receiving(self) -> None:
        """The receiver stops reading this body; what is left of it is counted here again."""
        receiving = self._receiving
        if receiving is not None:
            self._receiving = None
            left = receiving.stop()
            if not self._read_until_eof:
                self._body_left = left

    def _receive_failed(self, exc: Exception) -> BodyChunk:
        """``body_receiver.receive()`` raised (out of memory): the read fails the connection."""
        self._fail("body", exc)
        return b""

    def _end_receiving(self, chunk: BodyChunk) -> BodyChunk:
        """The read that completed the body, or found the stream closed or broken."""
        outcome = self._receiving.outcome if self._receiving is not None else 1
        self._stop_receiving()
        return self._end_plain_read(chunk, None if outcome == 1 else self._stream_failure(outcome))

    def _read_chunked(self) -> bytes:
        reader = self._chunk_reader
        rbuf = self._rbuf
        conn = self._connection
        while True:
            event = reader.step(rbuf)
            if isinstance(event, bytes):  # a chunk's data (the other events are sentinels)
                return event
            if event is _NEED_DATA:
                data = conn.recv(RECV_SIZE if reader.left < RECV_SIZE else reader.left + 2 - len(rbuf))
                if data:
                    rbuf += data
                    continue
                if not self._blocking:
                    return b""
                conn.wait(True, False, None)
                continue
            if event is _END_OF_CHUNKS:
                return b""
            # _END_OF_MESSAGE
            self._finish_response()
            return b""

    def _read_plain(self) -> BodyChunk:
        """The next piece of a Content-Length or close-delimited body.

        With ``body_buffer_factory`` (the Godot wrapper) every read that gets bytes returns a
        fresh buffer the socket wrote into, filled until the socket is empty, as the built-in
        fills its PackedByteArray (``body_receiver`` reads instead where it can, see
        ``_start_receiving``). Without it,
        bytes go from the socket into one reusable buffer per client (``recv_into``) and leave
        it as ``bytes``; a short plain-TCP read then means the socket is
        drained, so a non-blocking read stops there instead of paying one more ``recv`` that
        would only say EAGAIN (TLS reads stop at record boundaries, so they keep going).
        """
        until_eof = self._read_until_eof
        to_read = self._read_chunk_size if until_eof else min(self._body_left, self._read_chunk_size)
        if to_read <= 0:
            if not until_eof and self._body_left == 0:
                self._finish_response()
            return b""
        rbuf = self._rbuf
        got = 0
        result: BodyChunk
        if rbuf and len(rbuf) >= to_read:
            # Everything this read may return is buffered already (small bodies after the head).
            if len(rbuf) <= to_read:
                result = bytes(rbuf)
                rbuf.clear()
            else:
                with memoryview(rbuf) as head:
                    result = bytes(head[:to_read])
                del rbuf[:to_read]
            got = len(result)
            if not until_eof:
                self._body_left -= got
                if self._body_left == 0:
                    self._finish_response()
            return result
        conn = self._connection
        blocking = self._blocking
        failure: BaseException | None = None
        factory = self._body_buffer_factory
        if factory is not None:
            buf = self._spare_body_buffer
            if buf is None or len(buf) != to_read:
                buf = factory(to_read)
            self._spare_body_buffer = None
            if rbuf:
                got = len(rbuf)
                with memoryview(buf) as view:
                    view[:got] = rbuf
                rbuf.clear()
            with memoryview(buf) as view:
                got, failure = self._recv_pieces(conn, view, got, to_read, False, blocking)
            if got:
                if got != to_read:
                    buf.resize(got)
                result = buf
            else:
                self._spare_body_buffer = buf  # nothing arrived: keep it for the next read
                result = b""
        else:
            body_buf = self._body_buf
            if body_buf is None or len(body_buf) < to_read:
                body_buf = self._body_buf = bytearray(max(to_read, self._read_chunk_size))
            with memoryview(body_buf) as view:
                if rbuf:
                    got = len(rbuf)
                    view[:got] = rbuf
                    rbuf.clear()
                stop_short = not (blocking or until_eof or conn.is_tls)
                got, failure = self._recv_pieces(conn, view, got, to_read, stop_short, blocking)
                result = bytes(view[:got]) if got else b""
        if not until_eof:
            self._body_left -= got
        return self._end_plain_read(result, failure)

    @staticmethod
    def _stream_failure(error: int) -> BaseException:
        """What a receiver's ``outcome`` means: -1 the peer closed, else the errno of a failed recv."""
        return StreamEOF() if error < 0 else StreamError(str(OSError(error, os.strerror(error))))

    def _end_plain_read(self, result: BodyChunk, failure: BaseException | None) -> BodyChunk:
        """The end of a plain body read: report how the stream failed, or finish a complete body."""
        until_eof = self._read_until_eof
        if failure is not None:
            if until_eof and isinstance(failure, StreamEOF):
                self.close()
            elif isinstance(failure, StreamEOF):
                self._fail(
                    "body",
                    failure,
                    "Connection closed by the server before the whole body was received "
                    f"({self._body_left} of {self._body_size} bytes missing).",
                )
            else:
                self._fail("body", failure)
        elif not until_eof and self._body_left == 0:
            self._finish_response()
        return result

    @staticmethod
    def _recv_pieces(
        conn: Stream, view: memoryview, got: int, to_read: int, stop_short: bool, blocking: bool
    ) -> tuple[int, BaseException | None]:
        """``recv_into`` into ``view[got:to_read]`` until it is full, the stream has nothing more
        (non-blocking) or fails. Returns (bytes now in view, the failure)."""
        failure = None
        while got < to_read:
            want = to_read - got
            piece = view[got:to_read]
            try:
                n = conn.recv_into(piece)
            except (StreamEOF, StreamError) as exc:
                failure = exc.with_traceback(None)  # its frames would keep the buffer lent
                break
            finally:
                piece.release()
            if n:
                got += n
                if n < want and stop_short:
                    break
                continue
            if not blocking:
                break
            conn.wait(True, False, None)
        return got, failure

    def _finish_response(self) -> None:
        """The response is complete. CONNECTED only when the connection can carry the next
        request; otherwise (``Connection: close``, HTTP/1.0 without keep-alive, a body-less
        response announcing chunked framing) it is closed now and the status is DISCONNECTED, so
        a loop written for the built-in reconnects instead of failing its next request with 27.
        (Bytes after a response are refused by the next ``request()``: deciding here would
        depend on how the bytes were split into packets.)"""
        self._stop_receiving()
        if self._reusable:
            self._status = S_CONNECTED
            return
        self._drop_connection()

    def _drop_connection(self) -> None:
        """``close()`` that keeps what the caller may still read about the response (code,
        header lines, body length): the connection ends, the response stays."""
        code, headers, size = self._response_num, self._response_headers, self._body_size
        self.close()
        self._response_num, self._response_headers, self._body_size = code, headers, size

    # ------------------------------------------------------------------ accessors
    def get_status(self) -> int:
        return self._status

    def get_response_code(self) -> int:
        return self._response_num

    def has_response(self) -> bool:
        return bool(self._response_headers)

    def is_response_chunked(self) -> bool:
        return self._chunked

    def get_response_body_length(self) -> int:
        return self._body_size

    def get_response_headers(self) -> list[str]:
        headers = self._response_headers
        self._response_headers = []
        return headers

    def get_response_headers_as_dictionary(self) -> dict[str, str]:
        result: dict[str, str] = {}
        ws = "".join(map(chr, range(33)))
        for line in self.get_response_headers():
            colon = line.find(":")
            if colon < 0:
                continue
            result[line[:colon].strip(ws)] = line[colon + 1 :].strip(ws)
        return result

    def close(self) -> None:
        if self._body_receiver is not None:
            self._receiving = None
            self._body_receiver.clear()  # let go of the last chunk's array
        tcp = self._tcp
        if tcp.state != TCP_NONE:
            tcp.close()
        self._connection = None
        self._proxy = PROXY_NONE
        self._status = S_DISCONNECTED
        self._head_request = False
        if self._resolving is not None:
            self._resolver.erase(self._resolving)
            self._resolving = None
        self._ip_candidates = []
        self._response_headers = []
        self._rbuf.clear()
        self._request_buf = b""
        self._request_off = 0
        self._body_size = -1
        self._body_left = 0
        self._chunk_reader.reset()
        self._read_until_eof = False
        self._response_num = 0
        self._handshaking = False

    # ------------------------------------------------------------------ settings
    def _proxy_args_ok(self, host: object, port: object) -> bool:
        if isinstance(host, str) and isinstance(port, int) and not has_control(host):
            return True
        self.env.report_error("Invalid proxy: host must be a String without CR, LF or NUL and port an int.")
        return False

    def set_http_proxy(self, host: str, port: int) -> None:
        if not self._proxy_args_ok(host, port):
            return
        if not host or port == -1:
            self._http_proxy_host, self._http_proxy_port = "", -1
        else:
            self._http_proxy_host, self._http_proxy_port = host, port

    def set_https_proxy(self, host: str, port: int) -> None:
        if not self._proxy_args_ok(host, port):
            return
        if not host or port == -1:
            self._https_proxy_host, self._https_proxy_port = "", -1
        else:
            self._https_proxy_host, self._https_proxy_port = host, port

    def set_blocking_mode(self, enabled: bool) -> None:
        if enabled:
            self._stop_receiving()
        self._blocking = bool(enabled)

    def is_blocking_mode_enabled(self) -> bool:
        return self._blocking

    def set_read_chunk_size(self, bytes: int) -> None:  # noqa: A002 - Godot's parameter name
        if not isinstance(bytes, int) or bytes < READ_CHUNK_SIZE_MIN or bytes > READ_CHUNK_SIZE_MAX:
            self.env.report_error('Condition "p_size < 256 || p_size > (1 << 24)" is true.')
            return
        self._read_chunk_size = bytes
        if self._receiving is not None:
            self._receiving.chunk_size = bytes

    def get_read_chunk_size(self) -> int:
        return self._read_chunk_size

    def set_connection(self, connection: Stream | None) -> None:
        if connection is None or not hasattr(connection, "recv") or not hasattr(connection, "send"):
            self.env.report_error("Connection is not a reference to a valid StreamPeer object.")
            return
        if self._tls_options is not None and not getattr(connection, "is_tls", False):
            self.env.report_error("Connection is not a reference to a valid StreamPeerTLS object.")
            return
        if connection is self._connection:
            return
        self.close()
        self._connection = connection
        self._status = S_CONNECTED

    def get_connection(self) -> Stream | None:
        return cast("Stream | None", self._connection)

    def query_string_from_dict(self, fields: Mapping[object, object]) -> str:
        try:
            return query_string(fields, self.env.stringify)
        except Exception as exc:  # noqa: BLE001
            self.env.report_error(f"query_string_from_dict: {type(exc).__name__}: {exc}")
            return ""

    # ------------------------------------------------------------------ extras (not in Godot)
    def set_tls_public_key_pins(self, pins: object) -> int:
        """Require the server's public key to match one of ``pins`` (base64 SHA-256 of the DER
        SubjectPublicKeyInfo, like HPKP's ``pin-sha256``). An empty list turns pinning off.
        A mismatch fails the handshake: STATUS_TLS_HANDSHAKE_ERROR. Applies from the next handshake.
        """
        checked: list[str] = []
        if isinstance(pins, str) or not isinstance(pins, Iterable):
            self.env.report_error("set_tls_public_key_pins: pins must be an array of Strings.")
            return ERR_INVALID_PARAMETER
        for i, pin in enumerate(pins):
            try:
                ok = isinstance(pin, str) and len(base64.b64decode(pin, validate=True)) == 32
            except ValueError:
                ok = False
            if not ok or not isinstance(pin, str):
                self.env.report_error(f"Invalid public key pin at index {i}: expected base64 of a SHA-256 digest.")
                return ERR_INVALID_PARAMETER
            checked.append(pin)
        self._pins = tuple(checked)
        return OK

    def get_tls_public_key_pins(self) -> list[str]:
        return list(self._pins)

    def set_tls_crls(self, crls: str) -> int:
        """Check the server's certificate chain against certificate revocation lists: ``crls``
        is PEM text with one or more ``-----BEGIN X509 CRL-----`` blocks, one per CA of the
        chain (the trust anchor needs none). From the next handshake on, each certificate of
        the chain (the leaf and every intermediate) must be covered by a current CRL of its
        issuer and not listed in it; otherwise the handshake fails (STATUS_TLS_HANDSHAKE_ERROR)
        with a message naming the cause: revoked, no CRL from the issuer, expired CRL, bad CRL
        signature. An empty String turns checking off. Returns ERR_INVALID_PARAMETER (and
        keeps the previous CRLs) when the text is not readable CRLs.
        """
        if isinstance(crls, str) and not crls.strip():
            self._crls = ""
            return OK
        problem = check_crls(crls)
        if problem is not None:
            self.env.report_error(f"Invalid CRLs: {problem}")
            return ERR_INVALID_PARAMETER
        self._crls = crls
        return OK

    def get_tls_crls(self) -> str:
        return self._crls
