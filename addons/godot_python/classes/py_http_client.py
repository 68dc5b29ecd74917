"""PyHTTPClient: Godot's HTTPClient re-implemented in Python (godot_http), as a Godot class.

Theory of operation
-------------------
`PyHTTPClient` is a thin Godot-facing shell over `godot_http.HTTPClient` (pure Python, no
Godot needed; see python/godot_http/client.py). Every registered method converts its
arguments and forwards to the core; nothing else happens per call, so the cost of
`poll()` is the bridge's call overhead plus the core's work.

What the shell adds:

* the Godot surface: the same ClassDB methods, argument names, defaults, enums and property
  hints as the built-in `HTTPClient` (docs/pyhttpclient.md; the parity test is
  tests/godot_project/suites/http/test_pyhttpclient_classdb.gd);
* an `Environment` built from the running engine (`_GodotEnvironment`): errors go through
  Godot's error printer, the User-Agent is the engine's, the CA bundle and TLS 1.3 come from
  the project settings, `str()` is Godot's;
* `TLSOptions` (a Godot object) -> `godot_http.TLSOptions` (a frozen dataclass with PEM text);
* the engine's connection objects: `_EngineTCPStream` connects with a `StreamPeerTCP`
  (decision 0009), `_EngineTLSStream` makes TLS with a `StreamPeerTLS` (decision 0014), so
  `get_connection()` returns what the built-in returns;
* the `connection` property in both directions: `PyStreamPeer` (a `StreamPeerExtension`)
  shows an OpenSSL session (pins, CRLs) or the fallback Python socket to GDScript,
  `_GodotStream` lets the core talk through any Godot `StreamPeer` (a `StreamPeerTCP`
  connected by GDScript, a `StreamPeerTLS`, ...).
"""

from __future__ import annotations

import _socket
import ctypes
import ipaddress
import os
import re
import socket
import sys
import tempfile
import time
from typing import Annotated, Any

import _godot
import godot
import godot_http
from godot import Property, RefCounted, StreamPeer, StreamPeerExtension, method
from godot_http import client as _client_mod
from godot_http import constants as _constants
from godot_http import tls as _tls
from godot_http.errors import ConnectError, StreamEOF, StreamError, TLSReported
from godot_http.stream import CONNECT_TIMEOUT, TCP_CONNECTED, TCP_CONNECTING, TCP_ERROR, Stream, TCPStream, TLSStream

PackedStringArray = godot.PackedStringArray

OK = 0
FAILED = 1
ERR_UNAVAILABLE = 2
ERR_FILE_EOF = 18
ERR_INVALID_PARAMETER = 31

# StreamPeerTCP.Status / StreamPeerTLS.Status: both call "connecting" 1 and "connected" 2.
_PEER_STATUS_CONNECTING = 1
_PEER_STATUS_CONNECTED = 2


# --------------------------------------------------------------------------- environment


def _caller_location(depth: int = 2) -> tuple[str, str, int]:
    """(function, file, line) of the core code that reported, like Godot's `at:` line."""
    try:
        frame = sys._getframe(depth)
    except ValueError:
        return "", "", 0
    code = frame.f_code
    path = code.co_filename.replace("\\", "/")
    marker = path.rfind("/godot_http/")
    if marker >= 0:
        path = path[marker + 1 :]
    return code.co_name, path, frame.f_lineno


def _report_error(message: str) -> None:
    function, file, line = _caller_location()
    _godot.print_error(message, function, file, line)


def _report_warning(message: str) -> None:
    function, file, line = _caller_location()
    _godot.print_warning(message, function, file, line)


def godot_user_agent() -> str:
    """`GodotEngine/<GODOT_VERSION_FULL_BUILD> (<OS name>)`, as the built-in sends it (spec 5.3):
    `<major>.<minor>[.<patch>].<status>.<build>`, the patch only when it is not zero."""
    info = _godot.singleton("Engine").call("get_version_info")
    version = f"{info['major']}.{info['minor']}"
    if info.get("patch"):
        version += f".{info['patch']}"
    version += f".{info['status']}.{info['build']}"
    os_name = _godot.singleton("OS").call("get_name")
    return f"GodotEngine/{version} ({os_name})"


class _GodotEnvironment(godot_http.Environment):
    """The core's host services, taken from the running engine.

    The CA bundle (`network/tls/certificate_bundle_override`, globalized) and the TLS 1.3 switch
    (`network/tls/enable_tls_v1.3`) are read when a handshake starts, so a project that changes
    them at run time is honoured from its next connection.
    """

    @property
    def tls13_enabled(self) -> bool:
        return bool(_project_setting("network/tls/enable_tls_v1.3", True))

    @tls13_enabled.setter
    def tls13_enabled(self, value: bool) -> None:  # the dataclass __init__ assigns the default
        pass

    def ca_bundle_path(self) -> str | None:
        override = _project_setting("network/tls/certificate_bundle_override", "")
        if override:
            return str(_godot.singleton("ProjectSettings").call("globalize_path", override))
        return godot_http.environment._certifi_path()


def _project_setting(name: str, default: Any) -> Any:
    settings = _godot.singleton("ProjectSettings")
    if not settings.call("has_setting", name):
        return default
    return settings.call("get_setting", name)


_environment: _GodotEnvironment | None = None


def godot_environment() -> _GodotEnvironment:
    """The one Environment every PyHTTPClient shares (it holds no per-client state)."""
    global _environment
    if _environment is None:
        _environment = _GodotEnvironment(
            report_error=_report_error,
            report_warning=_report_warning,
            user_agent=godot_user_agent(),
            stringify=_godot.stringify,
            tcp_stream=_EngineTCPStream if engine_tcp_available() else TCPStream,
            tls_stream=engine_tls_stream,
        )
    return _environment


# --------------------------------------------------------------------------- TLS options

_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]*?-----END CERTIFICATE-----")


def _pem_certificates(text: str) -> str | None:
    """The PEM certificate blocks of ``text`` (anything else dropped: Python's ssl refuses
    anything but ASCII PEM)."""
    blocks = _PEM_BLOCK.findall(text or "")
    return "\n".join(blocks) + "\n" if blocks else None


_PEM_CACHE_SIZE = 64
_pem_by_certificate: dict[int, str | None] = {}  # X509Certificate instance id -> PEM blocks


def _saved_pem(certificate: Any) -> str:
    """The PEM text of an X509Certificate (every certificate of its chain), through
    ``save()`` into a private temporary file. ``save_to_string()`` would do without the file,
    but Godot 4.6 ends its buffer with the C string's NUL and the engine prints "Unicode
    parsing error ... Unexpected NUL character" for every call: a healthy HTTPS connection
    must print nothing. (Turning the engine's error printing off around the call would hide
    other threads' errors meanwhile.)"""
    fd, path = tempfile.mkstemp(prefix="godot-python-ca-", suffix=".crt")
    os.close(fd)
    try:
        error = certificate.call("save", path)
        if error != OK:
            return ""
        with open(path, encoding="ascii", errors="replace") as f:
            return f.read()
    finally:
        os.unlink(path)


def _chain_pem(chain: Any) -> str | None:
    """The chain's PEM, converted once per certificate object (a game connects many times)."""
    key = chain.get_instance_id()
    try:
        return _pem_by_certificate[key]
    except KeyError:
        pass
    if len(_pem_by_certificate) >= _PEM_CACHE_SIZE:
        _pem_by_certificate.pop(next(iter(_pem_by_certificate)))
    pem = _pem_by_certificate[key] = _pem_certificates(_saved_pem(chain))
    return pem


def convert_tls_options(options: Any) -> _tls.TLSOptions | None:
    """Godot TLSOptions -> godot_http.TLSOptions (trusted chain as PEM text)."""
    if options is None:
        return None
    if isinstance(options, _tls.TLSOptions):  # a Python caller may pass the core's own
        return options
    if options.call("is_server"):
        return _tls.TLSOptions.server()
    chain = options.call("get_trusted_ca_chain")
    pem = _chain_pem(chain) if chain is not None else None
    if options.call("is_unsafe_client"):
        return _tls.TLSOptions(_tls.MODE_CLIENT_UNSAFE, pem or None, "", native=options)
    return _tls.TLSOptions(_tls.MODE_CLIENT, pem or None, options.call("get_common_name_override"), native=options)


# --------------------------------------------------------------------------- streams

_PROC_FDS = "/proc/self/fd"
# The type an adopted socket is made with: a stream socket already in non-blocking mode.
_STREAM_NONBLOCK = socket.SOCK_STREAM | getattr(socket, "SOCK_NONBLOCK", 0)
# Where the next connection's socket most likely is: the kernel gives the lowest free
# descriptor, usually one that the previous connection (engine's or our duplicate) freed.
_recent_fds = [-1, -1]


def _same_socket(fd: int, local_port: int, remote: tuple[str, int]) -> _socket.socket | None:
    """A duplicate of descriptor ``fd`` as a Python socket when it is the TCP connection
    from ``local_port`` to ``remote`` (ip, port), else None.

    Five system calls for the right descriptor (dup; the socket constructor's getsockname,
    which refuses a descriptor that is no socket; getsockname, getpeername, the SO_TYPE query
    last), two or three for a wrong one. The socket object is the C type ``_socket.socket``
    (``socket.socket`` adds a Python ``__init__`` and ``close``) made with its family, type and
    protocol given (the constructor then asks for no SO_TYPE/SO_PROTOCOL), and with
    ``SOCK_NONBLOCK`` in the type: the object is non-blocking without a system call, as the
    descriptor is already (the engine's StreamPeerTCP makes its socket non-blocking, and a
    duplicate shares that flag). Nothing reads ``sock.family`` or ``sock.type``, which convert
    to enum members at about 1 us each. A guess is right nearly always, so this is paid once
    per connection (docs/benchmarks.md, new connections; decision 0019)."""
    try:
        copy = os.dup(fd)
    except OSError:
        return None
    remote_ip, remote_port = remote
    # The engine opens an IPv4 socket for an IPv4 address and an IPv6 one otherwise.
    family = socket.AF_INET6 if ":" in remote_ip else socket.AF_INET
    try:
        sock = _socket.socket(family, _STREAM_NONBLOCK, 0, copy)
    except OSError:  # not a socket: the constructor did not take the descriptor
        os.close(copy)
        return None
    try:
        name = sock.getsockname()
        if isinstance(name, tuple) and name[1] == local_port:
            peer_ip, peer_port = sock.getpeername()[:2]
            if (
                peer_port == remote_port
                and (peer_ip == remote_ip or ipaddress.ip_address(peer_ip) == ipaddress.ip_address(remote_ip))
                and sock.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
            ):
                return sock
    except (OSError, ValueError, TypeError):
        pass
    sock.close()
    return None


def _lowest_free_fd() -> int:
    """The descriptor the next socket() of this process will get (the kernel gives the lowest
    free one), or -1: a ``dup`` of the standard error (or output, or input) descriptor lands
    there, without the path lookup of opening a file. Another thread opening a file in between
    makes it a wrong guess, which ``_adopt_socket`` then finds out and falls back from."""
    for std in (2, 1, 0):
        try:
            fd = os.dup(std)
        except OSError:
            continue
        os.close(fd)
        return fd
    try:
        fd = os.open(os.devnull, os.O_RDONLY)
    except OSError:
        return -1
    os.close(fd)
    return fd


def _adopt_socket(peer: Any, ip: str, port: int, expected_fd: int = -1) -> _socket.socket | None:
    """The engine's socket of a connected StreamPeerTCP, duplicated for Python's own I/O.

    The engine exposes no descriptor, but its connection is unique: the descriptor whose
    socket goes from the peer's local port to (ip, port). Tried first: ``expected_fd`` (the
    lowest free descriptor just before the engine opened the socket, right nearly always, also
    with many clients connecting at once), then the descriptors the previous connection used,
    then every descriptor from the lowest (one pass over all of them per connection: with 100
    clients connecting in one frame that was 2x the built-in's whole time for them)."""
    local_port = peer.get_local_port()
    tried = set()
    for fd in (expected_fd, *_recent_fds):
        if fd >= 0 and fd not in tried:
            tried.add(fd)
            sock = _same_socket(fd, local_port, (ip, port))
            if sock is not None:
                _recent_fds[:] = [fd, sock.fileno()]
                return sock
    try:
        names = os.listdir(_PROC_FDS)
    except OSError:
        return None
    for fd in sorted(map(int, names)):
        if fd in tried:
            continue
        sock = _same_socket(fd, local_port, (ip, port))
        if sock is not None:
            _recent_fds[:] = [fd, sock.fileno()]
            return sock
    return None


class _EngineTCPStream(TCPStream):
    """A ``TCPStream`` whose connection is made and owned by the engine's ``StreamPeerTCP``,
    so that ``get_connection()`` returns that very object, as the built-in does.

    The engine connects (``connect_to_host`` + ``poll``, with its own connect timeout and
    errors); once connected, the client reads and writes through a duplicate of the same
    socket (``_adopt_socket``), at Python's speed. Like the built-in's, the object is one per
    client, reconnected by every ``connect_to_host``. ``close()`` closes both descriptors, so
    the connection ends for a ``StreamPeerTCP`` the caller still holds, as with the built-in.
    """

    __slots__ = ("peer", "_engine_peer", "_remote", "_expected_fd")

    def __init__(self) -> None:
        super().__init__()
        self.peer: godot.StreamPeerTCP | None = None  # while a connection exists
        self._engine_peer: godot.StreamPeerTCP | None = None  # one per client, reconnected each time
        self._remote = ("", 0)
        self._expected_fd = -1

    def connect(self, ip: str, port: int) -> None:
        if self.sock is not None or self.peer is not None:
            self.close()
        if not 1 <= port <= 65535:
            raise ConnectError("The remote port number must be between 1 and 65535 (inclusive).", 31)
        peer = self._engine_peer
        if peer is None:
            peer = self._engine_peer = godot.StreamPeerTCP()
        self._expected_fd = _lowest_free_fd()  # where the engine's socket() lands
        error = peer.connect_to_host(ip, port)
        if error != OK:
            raise ConnectError("Connection to remote host failed!", error)
        self.peer = peer
        self._remote = (ip, port)
        self._started = time.monotonic()
        self.state = TCP_CONNECTING

    def poll_connect(self) -> int:
        if self.state != TCP_CONNECTING:
            return self.state
        peer = self.peer
        if peer is None:  # CONNECTING comes with a peer (connect()): not reached
            return self.state
        peer.poll()
        status = peer.get_status()
        if status == _PEER_STATUS_CONNECTED:
            sock = _adopt_socket(peer, *self._remote, self._expected_fd)
            if sock is None:
                _report_error("The engine's TCP connection is up but its socket was not found; giving up.")
                self.state = TCP_ERROR
                return self.state
            try:  # non-blocking already (_same_socket)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            self.sock = sock
            self._fd = sock.fileno()
            self._watch()  # data, errors and the peer's FIN: peer_closed() needs no peek
            self.state = TCP_CONNECTED
        elif status != _PEER_STATUS_CONNECTING or time.monotonic() - self._started > CONNECT_TIMEOUT:
            self.state = TCP_ERROR
        return self.state

    def close(self) -> None:
        super().close()
        peer = self.peer
        if peer is not None:
            self.peer = None
            peer.disconnect_from_host()


# StreamPeerTLS.Status
_TLS_STATUS_HANDSHAKING = 1
_TLS_STATUS_CONNECTED = 2


class _EngineTLSStream(Stream):
    """TLS by the engine's ``StreamPeerTLS`` over the client's engine ``StreamPeerTCP``, made
    and driven as the built-in does (``connect_to_stream`` with the caller's ``TLSOptions``,
    then ``poll()`` until connected), so that ``get_connection()`` returns that very
    ``StreamPeerTLS`` (decision 0013). Reads and writes are its ``get_partial_data`` and
    ``put_partial_data``; the liveness check is its ``poll()`` and status, as the built-in's;
    blocking waits watch the duplicated socket of the TCP stream. Response heads are read in
    reads that cannot pass their end (``exact_head``), so a body stays in the ``StreamPeerTLS``
    for a caller who reads it there, as with the built-in (which reads heads byte by byte).

    Failures are printed by the engine (``TLS handshake error: ...``, ``mbedtls error: ...``),
    as with the built-in; the client adds nothing (``TLSReported``)."""

    is_tls = True
    can_peek = False
    exact_head = True

    __slots__ = ("tcp", "peer", "_options", "_name", "_started", "_ended")

    def __init__(self, tcp: _EngineTCPStream, options: Any, server_name: str) -> None:
        self.tcp = tcp
        self.peer: Any = godot.StreamPeerTLS()
        self._options = options
        self._name = server_name
        self._started = False
        self._ended = False  # the engine ended the session (EOF or error): no more calls into it

    def handshake_step(self) -> bool:
        peer = self.peer
        if not self._started:
            self._started = True
            error = peer.call("connect_to_stream", self.tcp.peer, self._name, self._options)
            if error != OK:
                raise TLSReported(f"StreamPeerTLS.connect_to_stream() failed: error {error}.")
        else:
            peer.call("poll")
        status = peer.call("get_status")
        if status == _TLS_STATUS_CONNECTED:
            return True
        if status == _TLS_STATUS_HANDSHAKING:
            return False
        raise TLSReported(f"StreamPeerTLS status {status}.")

    def _read(self, count: int) -> bytes:
        error, data = self.peer.get_partial_data(count)
        if error == OK:
            return data  # type: ignore[no-any-return]  # the Array element arrives as bytes
        self._ended = True
        if error == ERR_FILE_EOF:
            raise StreamEOF()
        raise StreamError(f"StreamPeerTLS.get_partial_data() failed: error {error}.")

    def _record(self, max_bytes: int) -> tuple[bytes, bytes]:
        """At most one TLS record's bytes, as (its first byte or b"", the rest). ``get_partial_data``
        reads record after record until it has ``max_bytes``, and when the connection ends after
        some of them, the engine's binding returns the error without those bytes (the built-in,
        in C++, keeps them). So a read asks for one byte first, which takes a byte the session
        has decrypted already or makes it decrypt exactly one record, then for the rest the
        session holds (``get_available_bytes``): a record is never lost to a connection that ends
        after it. Three engine calls per record."""
        if self._ended:
            raise StreamEOF()
        first = self._read(1)
        if not first or max_bytes == 1:
            return first, b""
        available = self.peer.get_available_bytes()
        if not available:
            return first, b""
        return first, self._read(min(max_bytes - 1, available))

    def recv(self, max_bytes: int) -> bytes:
        first, rest = self._record(max_bytes)
        return bytes(first) + bytes(rest) if rest else bytes(first)

    def recv_into(self, view: memoryview) -> int:
        first, rest = self._record(len(view))
        if not first:
            return 0
        view[0:1] = first
        n = 1 + len(rest)
        if rest:
            view[1:n] = rest
        return n

    def send(self, data: bytes | bytearray | memoryview) -> int:
        if self._ended:
            raise StreamError("The TLS connection has ended.")
        error, sent = self.peer.put_partial_data(bytes(data))
        if error != OK:
            self._ended = True
            raise StreamError(f"StreamPeerTLS.put_partial_data() failed: error {error}.")
        return int(sent)

    def peer_closed(self) -> bool:
        """The built-in's liveness check: ``poll()`` (reads nothing, handles alerts and the
        TCP end), then the status."""
        if self._ended:
            return True
        peer = self.peer
        if peer.call("get_status") != _TLS_STATUS_CONNECTED:
            self._ended = True
            return True
        peer.call("poll")
        if peer.call("get_status") != _TLS_STATUS_CONNECTED:
            self._ended = True
            return True
        return False

    def wait(self, readable: bool, writable: bool, timeout: float | None = None) -> None:
        if readable and (self._ended or self.peer.get_available_bytes() > 0):
            return
        self.tcp.wait(readable, writable, timeout)

    def close(self) -> None:
        # As the built-in's close(): the TCP connection ends; the StreamPeerTLS is dropped, not
        # told (a caller holding it sees the end at its next call).
        self._ended = True
        self.tcp.close()


def engine_tls_stream(tcp: TCPStream, options: _tls.TLSOptions, server_name: str) -> Stream | None:
    """The client's TLS stream for a connection without pins and CRLs: the engine's
    ``StreamPeerTLS`` over the engine's ``StreamPeerTCP`` with the caller's ``TLSOptions``
    (``TLSOptions.client()`` / ``client_unsafe()`` when the core made the default), or None
    (then the core uses OpenSSL) when the TCP stream is not the engine's or the options came
    from Python with a chain of their own."""
    if not isinstance(tcp, _EngineTCPStream) or tcp.peer is None:
        return None
    native = options.native
    if native is None:
        if options.trusted_ca_chain is not None or options.common_name_override:
            return None
        if options.is_unsafe_client():
            native = godot.TLSOptions.client_unsafe()
        else:
            native = godot.TLSOptions.client()
    return _EngineTLSStream(tcp, native, server_name)


def engine_tcp_available() -> bool:
    """Whether sockets can be found by descriptor here (Linux's /proc); else the client
    connects with its own Python socket and get_connection() returns a PyStreamPeer."""
    return os.path.isdir(_PROC_FDS)


class _GodotStream(Stream):
    """A Godot StreamPeer seen through godot_http's Stream interface (for set_connection)."""

    __slots__ = ("peer", "peer_id", "_call", "_tcp_like", "is_tls")

    def __init__(self, peer: StreamPeer) -> None:
        self.peer = peer
        self.peer_id = peer.get_instance_id()
        self._call = peer.call
        self.is_tls = bool(peer.call("is_class", "StreamPeerTLS"))
        # StreamPeerTCP and StreamPeerTLS have poll()/get_status(); other StreamPeers do not.
        self._tcp_like = self.is_tls or bool(peer.call("is_class", "StreamPeerTCP"))

    def recv(self, max_bytes: int) -> bytes:
        error, data = self._call("get_partial_data", max_bytes)
        if error == OK:
            return bytes(data)
        if error == ERR_FILE_EOF:
            if data:
                return bytes(data)
            raise StreamEOF()
        raise StreamError(f"StreamPeer.get_partial_data() failed: error {error}.")

    def send(self, data: bytes | bytearray | memoryview) -> int:
        error, sent = self._call("put_partial_data", bytes(data))
        if error != OK:
            raise StreamError(f"StreamPeer.put_partial_data() failed: error {error}.")
        return int(sent)

    def peer_closed(self) -> bool:
        if not self._tcp_like:
            return False
        call = self._call
        if call("get_status") != _PEER_STATUS_CONNECTED:
            return True
        if call("get_available_bytes") > 0:
            return False
        call("poll")  # StreamPeerTCP notices a FIN here (readable with nothing to read)
        return bool(call("get_status") != _PEER_STATUS_CONNECTED)

    def close(self) -> None:
        pass  # the caller owns the stream; the built-in does not disconnect it either


class PyStreamPeer(StreamPeerExtension):
    """The live connection of a [PyHTTPClient], as a [StreamPeer].

    Returned by [member PyHTTPClient.connection] ([method PyHTTPClient.get_connection]). Reads
    see exactly what the built-in's TCP or TLS stream would show: bytes the client has already
    taken from the socket but not consumed (for example a body after the headers) come first,
    then the socket. Writes go straight to the socket. Passing it back to
    [method PyHTTPClient.set_connection] of the same client is a no-op, as with the built-in.
    """

    def __init__(self) -> None:
        super().__init__()
        self._stream: Stream | None = None  # a godot_http TCPStream / TLSStream
        self._client: _client_mod.HTTPClient | None = None  # the client whose buffer comes first

    def _attach(self, stream: Stream, client: _client_mod.HTTPClient) -> PyStreamPeer:
        self._stream = stream
        self._client = client
        return self

    def _buffer(self) -> bytearray | None:
        client = self._client
        if client is not None and client._connection is self._stream and client._rbuf:
            return client._rbuf
        return None

    def _read(self, n: int, block: bool) -> tuple[int, bytes]:
        """(error, bytes) reading up to n bytes (all n when block)."""
        out = bytearray()
        buf = self._buffer()
        if buf:
            take = min(n, len(buf))
            out += buf[:take]
            del buf[:take]
        stream = self._stream
        if stream is None:
            return (FAILED if not out else OK), bytes(out)
        while len(out) < n:
            try:
                data = stream.recv(n - len(out))
            except StreamEOF:
                return ERR_FILE_EOF, bytes(out)
            except StreamError:
                return FAILED, bytes(out)
            if data:
                out += data
                continue
            if not block:
                break
            stream.wait(True, False, None)
        return OK, bytes(out)

    def _write(self, data: bytes, block: bool) -> tuple[int, int]:
        stream = self._stream
        if stream is None:
            return FAILED, 0
        sent = 0
        while sent < len(data):
            try:
                n = stream.send(data[sent:])
            except StreamError:
                return FAILED, sent
            if n:
                sent += n
                continue
            if not block:
                break
            stream.wait(False, True, None)
        return OK, sent

    def _get_data(self, r_buffer: int, r_bytes: int, r_received: int) -> int:
        return self._get_bytes(r_buffer, r_bytes, r_received, True)

    def _get_partial_data(self, r_buffer: int, r_bytes: int, r_received: int) -> int:
        return self._get_bytes(r_buffer, r_bytes, r_received, False)

    def _get_bytes(self, r_buffer: int, r_bytes: int, r_received: int, block: bool) -> int:
        error, data = self._read(r_bytes, block)
        if data:
            ctypes.memmove(r_buffer, data, len(data))
        ctypes.c_int32.from_address(r_received).value = len(data)
        return error

    def _put_data(self, p_data: int, p_bytes: int, r_sent: int) -> int:
        return self._put(p_data, p_bytes, r_sent, True)

    def _put_partial_data(self, p_data: int, p_bytes: int, r_sent: int) -> int:
        return self._put(p_data, p_bytes, r_sent, False)

    def _put(self, p_data: int, p_bytes: int, r_sent: int, block: bool) -> int:
        data = ctypes.string_at(p_data, p_bytes) if p_bytes > 0 else b""
        error, sent = self._write(data, block)
        ctypes.c_int32.from_address(r_sent).value = sent
        return error

    def _get_available_bytes(self) -> int:
        buf = self._buffer()
        pending = len(buf) if buf else 0
        stream = self._stream
        if stream is None:
            return pending
        if isinstance(stream, TLSStream):
            try:
                return pending + len(stream._unread) + stream.ssl.pending()
            except (OSError, ValueError):
                return pending
        sock = getattr(stream, "sock", None)
        if sock is None:
            return pending
        import fcntl
        import termios

        try:
            raw = fcntl.ioctl(sock.fileno(), termios.FIONREAD, b"\0\0\0\0")
        except OSError:
            return pending
        return pending + int.from_bytes(raw, sys.byteorder)

    @method(const=True)
    def is_tls(self) -> bool:
        """[code]true[/code] when the connection is encrypted (the client's TLS stream)."""
        return bool(getattr(self._stream, "is_tls", False))

    @method(const=True)
    def is_open(self) -> bool:
        """[code]true[/code] while the underlying socket is open."""
        stream = self._stream
        tcp = getattr(stream, "tcp", stream)
        return getattr(tcp, "sock", None) is not None


# --------------------------------------------------------------------------- the client

# Error codes: ints for Python (the core returns plain ints), the engine's Error for Godot.
_Error = Annotated[int, godot.Error]


class PyHTTPClient(RefCounted):
    """Low-level HTTP/1.1 client written in Python: a drop-in for [HTTPClient].

    [PyHTTPClient] has the same methods, properties, enums and constants as Godot's built-in
    [HTTPClient] and behaves the same on every well-formed exchange: the same status sequence
    while you poll, the same return codes, the same response headers and body bytes, and the
    same request bytes on the wire. A script written for [HTTPClient] works after replacing the
    class name, in non-blocking and in blocking mode, over plain TCP, TLS
    ([method connect_to_host] with [TLSOptions]) and through HTTP and HTTPS proxies.

    It is built on [code]godot_http[/code], a pure-Python re-implementation of the built-in
    client that runs (and is tested) without Godot. Where the built-in is wrong, it is
    correct instead, without breaking a loop written for the built-in:
    - header or URL text containing CR, LF or NUL is refused with
      [constant ERR_INVALID_PARAMETER] (the built-in sends it, which allows header injection);
    - interim [code]1xx[/code] responses are skipped and the final response is reported;
    - chunk extensions ([code]5;name=value[/code]) are accepted; truncated bodies are reported
      as [constant STATUS_CONNECTION_ERROR] instead of looking complete;
    - a close-delimited body ends in [constant STATUS_DISCONNECTED] even when you
      [method poll] between reads;
    - response heads, header counts and trailers are bounded, so a hostile server cannot make
      the client grow without limit;
    - HTTPS proxies get a correct [code]Host[/code] header in the [code]CONNECT[/code] request.
    It also adds TLS public-key pinning ([method set_tls_public_key_pins]) and certificate
    revocation checking ([method set_tls_crls]).
    The full list of differences, with reasons, is in [code]docs/http-differences.md[/code].

    TLS is the engine's own [StreamPeerTLS], made with your [TLSOptions] as the built-in makes
    it (the same CA set, TLS versions, checks and error messages), and
    [method get_connection] returns it. With [method set_tls_public_key_pins] or
    [method set_tls_crls] in use, TLS is Python's [code]ssl[/code] module (OpenSSL) instead:
    its default CA set is the file named by
    [code]network/tls/certificate_bundle_override[/code] when set, otherwise certifi's bundle.
    """

    # The core's enums, registered as this class's own (PyHTTPClient.Method, ...): enum-typed
    # arguments and returns name them, not the built-in's, because GDScript refuses to pass a
    # PyHTTPClient.METHOD_GET where an HTTPClient.Method is declared (a script renamed to
    # PyHTTPClient would not even parse). The bridge passes and takes their values as ints.
    Method = _constants.Method
    Status = _constants.Status
    ResponseCode = _constants.ResponseCode

    blocking_mode_enabled = Property(
        bool,
        default=False,
        setter="set_blocking_mode",
        getter="is_blocking_mode_enabled",
        doc="If [code]true[/code], execution will block until all data is read from the response.",
    )
    connection = Property(
        StreamPeer,
        default=None,
        setter="set_connection",
        getter="get_connection",
        usage=godot.USAGE_NONE,
        doc="The connection to use for this client: the engine's [StreamPeerTCP] or "
        "[StreamPeerTLS] the client connected with, as the built-in's (a [PyStreamPeer] over "
        "OpenSSL with pins or CRLs), or the [StreamPeer] given to [method set_connection].",
    )
    read_chunk_size = Property(
        int,
        default=65536,
        setter="set_read_chunk_size",
        getter="get_read_chunk_size",
        hint=godot.hint_range(256, 16777216),
        doc="The size of the buffer used and maximum bytes to read per iteration. "
        "See [method read_response_body_chunk].",
    )

    def __init__(self) -> None:
        super().__init__()
        # Plain bodies are received straight into PackedByteArray memory (no copy), over plain
        # TCP by one C call per read.
        self._c = _client_mod.HTTPClient(
            godot_environment(), body_buffer_factory=_godot.ByteBuffer, body_receiver=_godot.BodyReceiver()
        )
        self._peer: PyStreamPeer | None = None  # the one last handed out by get_connection()

    # -- connecting ------------------------------------------------------------------------
    @method
    def connect_to_host(self, host: str, port: int = -1, tls_options: godot.TLSOptions | None = None) -> _Error:
        """Connects to a host. This needs to be done before any requests are sent.

        If no [param port] is specified (or [code]-1[/code] is used), it is automatically set to
        80 for HTTP and 443 for HTTPS. A [code]https://[/code] prefix or [param tls_options]
        turn on TLS; [code]http://[/code] forces plain HTTP. See [TLSOptions]."""
        return self._c.connect_to_host(
            host, port, convert_tls_options(tls_options) if tls_options is not None else None
        )

    @method
    def set_connection(self, connection: StreamPeer | None) -> None:
        """Sets the connection to use: any [StreamPeer], for example a [StreamPeerTCP] your
        script connected itself or a [StreamPeerTLS]. The client then sends requests and reads
        responses through it (status [constant STATUS_CONNECTED]). Passing the object
        [method get_connection] returned keeps the current connection untouched."""
        core = self._c
        if connection is None:
            core.set_connection(None)
            return
        if isinstance(connection, PyStreamPeer):
            core.set_connection(connection._stream)
            return
        current = core._connection
        if isinstance(current, _GodotStream) and current.peer_id == connection.get_instance_id():
            core.set_connection(current)
            return
        if (
            isinstance(current, (_EngineTCPStream, _EngineTLSStream))
            and current.peer is not None
            and current.peer.get_instance_id() == connection.get_instance_id()
        ):
            core.set_connection(current)  # get_connection()'s own StreamPeerTCP/TLS: a no-op
            return
        core.set_connection(_GodotStream(connection))

    @method(const=True)
    def get_connection(self) -> StreamPeer | None:
        """The current connection, or [code]null[/code] when closed: as the built-in, the
        engine's [StreamPeerTCP] the client connected with over plain HTTP, and the engine's
        [StreamPeerTLS] over TLS once the handshake has started; the [StreamPeer] passed to
        [method set_connection]. With [method set_tls_public_key_pins] or
        [method set_tls_crls] in use, the TLS session is OpenSSL's and this is a
        [PyStreamPeer] over it."""
        conn = self._c._connection
        if conn is None:
            return None
        if isinstance(conn, _GodotStream):
            return conn.peer
        if isinstance(conn, (_EngineTCPStream, _EngineTLSStream)) and conn.peer is not None:
            return conn.peer  # the engine's own StreamPeerTCP / StreamPeerTLS, as the built-in returns
        peer = self._peer
        if peer is None or peer._stream is not conn:
            peer = PyStreamPeer()._attach(conn, self._c)
            self._peer = peer
        return peer

    # -- requests --------------------------------------------------------------------------
    @method
    def request_raw(self, method: Annotated[int, Method], url: str, headers: PackedStringArray, body: bytes) -> _Error:
        """Sends a raw HTTP request with [param body] sent as it is. Requires
        [constant STATUS_CONNECTED]; then [method poll] until the response arrives. Headers or
        a URL containing CR, LF or NUL are refused with [constant ERR_INVALID_PARAMETER]."""
        return self._c.request_raw(method, url, headers, body)

    @method
    def request(self, method: Annotated[int, Method], url: str, headers: PackedStringArray, body: str = "") -> _Error:
        """Sends an HTTP request; [param body] is sent UTF-8 encoded (also for GET, like the
        built-in). [param url] is the path ([code]/index.html[/code]), or an absolute URL for
        proxies, or [code]*[/code] for OPTIONS. Requires [constant STATUS_CONNECTED]. Headers
        or a URL containing CR, LF or NUL are refused with [constant ERR_INVALID_PARAMETER]."""
        return self._c.request(method, url, headers, body)

    @method
    def close(self) -> None:
        """Closes the current connection, allowing reuse of this [PyHTTPClient]."""
        self._c.close()

    # -- response --------------------------------------------------------------------------
    @method(const=True)
    def has_response(self) -> bool:
        """[code]true[/code] while response header lines are stored and not yet taken by
        [method get_response_headers] (a status line alone gives [code]false[/code])."""
        return self._c.has_response()

    @method(const=True)
    def is_response_chunked(self) -> bool:
        """[code]true[/code] if the response uses chunked transfer encoding."""
        return self._c.is_response_chunked()

    @method(const=True)
    def get_response_code(self) -> int:
        """The response's HTTP status code (see [enum ResponseCode]); codes outside the enum
        are returned as they are."""
        return self._c.get_response_code()

    @method
    def get_response_headers(self) -> PackedStringArray:
        """The response headers (status line excluded). Takes them: a second call returns an
        empty array, as with the built-in."""
        return PackedStringArray(self._c.get_response_headers())

    @method
    def get_response_headers_as_dictionary(self) -> dict[Any, Any]:  # an untyped Dictionary
        """The response headers as a [Dictionary] ([code]"Name": "value"[/code]); a later
        duplicate replaces an earlier one. Takes the headers like [method get_response_headers]."""
        return self._c.get_response_headers_as_dictionary()

    @method(const=True)
    def get_response_body_length(self) -> int:
        """The response's body length from [code]Content-Length[/code], or [code]-1[/code]
        when unknown (chunked or read until the server closes)."""
        return self._c.get_response_body_length()

    @method
    def read_response_body_chunk(self) -> Annotated[_client_mod.BodyChunk, godot.PackedByteArray]:
        """Reads the next piece of the body (at most [member read_chunk_size] bytes, or one
        chunk). Call it while the status is [constant STATUS_BODY]; an empty result means no
        data has arrived yet (non-blocking mode)."""
        # Plain bodies come as a _godot.ByteBuffer that the socket wrote into (one C call per
        # read over plain TCP, _godot.BodyReceiver): it becomes the PackedByteArray without a copy.
        # The engine calls _godot.ClientCall instead (end of this file, decision 0021): it makes
        # the core's receiver step in C and calls this method for anything else.
        return self._c.read_response_body_chunk()

    # -- settings --------------------------------------------------------------------------
    @method
    def set_read_chunk_size(self, bytes: int) -> None:  # noqa: A002 - Godot's argument name
        """Sets [member read_chunk_size] (256 to 16777216; other values are refused with an error)."""
        self._c.set_read_chunk_size(bytes)

    @method(const=True)
    def get_read_chunk_size(self) -> int:
        """Returns [member read_chunk_size]."""
        return self._c._read_chunk_size

    @method
    def set_blocking_mode(self, enabled: bool) -> None:
        """Sets [member blocking_mode_enabled]."""
        self._c._blocking = bool(enabled)

    @method(const=True)
    def is_blocking_mode_enabled(self) -> bool:
        """Returns [member blocking_mode_enabled]."""
        return self._c._blocking

    @method(const=True)
    def get_status(self) -> Annotated[int, Status]:
        """The current [enum Status]."""
        return self._c._status

    @method
    def poll(self) -> _Error:
        """Advances the connection: resolving, connecting, the TLS handshake, sending the
        request and reading the response headers. Call it until the status changes."""
        # The engine calls _godot.ClientCall instead (decision 0021), as for the read.
        return self._c.poll()

    @method
    def set_http_proxy(self, host: str, port: int) -> None:
        """Sets the proxy server for HTTP requests (an empty [param host] or a [param port]
        of [code]-1[/code] unsets it)."""
        self._c.set_http_proxy(host, port)

    @method
    def set_https_proxy(self, host: str, port: int) -> None:
        """Sets the proxy server for HTTPS requests, reached with a [code]CONNECT[/code]
        tunnel (an empty [param host] or a [param port] of [code]-1[/code] unsets it)."""
        self._c.set_https_proxy(host, port)

    @method
    def query_string_from_dict(self, fields: dict[Any, Any]) -> str:
        """Generates a URL query string from [param fields], byte for byte like the built-in:
        [code]{"a": 1, "b": [2, 3], "c": null}[/code] gives [code]a=1&b=2&b=3&c[/code]."""
        return self._c.query_string_from_dict(fields)

    # -- extras (not in the built-in) ------------------------------------------------------
    @method
    def set_tls_public_key_pins(self, pins: PackedStringArray) -> _Error:
        """[b]Extra (not in [HTTPClient]).[/b] Pins the server's public key: from the next TLS
        handshake on, the server certificate's public key must match one of [param pins]
        (base64 of the SHA-256 of its DER SubjectPublicKeyInfo, as in HPKP's
        [code]pin-sha256[/code]; [code]openssl x509 -pubkey -noout | openssl pkey -pubin
        -outform der | openssl dgst -sha256 -binary | base64[/code]). A mismatch fails the
        handshake with [constant STATUS_TLS_HANDSHAKE_ERROR]. Pinning applies on top of the
        normal certificate checks. An empty array turns pinning off. Returns
        [constant ERR_INVALID_PARAMETER] for a malformed pin."""
        return self._c.set_tls_public_key_pins(list(pins))

    @method(const=True)
    def get_tls_public_key_pins(self) -> PackedStringArray:
        """[b]Extra (not in [HTTPClient]).[/b] The pins set by [method set_tls_public_key_pins]."""
        return PackedStringArray(self._c.get_tls_public_key_pins())

    @method
    def set_tls_crls(self, crls: str) -> _Error:
        """[b]Extra (not in [HTTPClient]).[/b] Certificate revocation: from the next TLS
        handshake on, every certificate of the server's chain (the leaf and each intermediate;
        not the trusted root) must be covered by a current certificate revocation list of its
        issuer and must not be listed in it. [param crls] is PEM text with one or more
        [code]-----BEGIN X509 CRL-----[/code] blocks, one per CA of the chain (as published by
        the CA; convert a DER [code].crl[/code] with [code]openssl crl -inform der[/code]).
        The handshake fails with [constant STATUS_TLS_HANDSHAKE_ERROR] and a message naming the
        cause: a revoked certificate, no CRL from the issuer (a CRL of another CA does not
        count), an expired or not yet valid CRL, a CRL whose signature does not verify.
        CRLs are checked wherever the certificate is verified ([method TLSOptions.client], or
        [method TLSOptions.client_unsafe] with a trusted chain). An empty String turns checking
        off. Returns [constant ERR_INVALID_PARAMETER] (the previous CRLs stay) for text that is
        not readable CRLs."""
        return self._c.set_tls_crls(crls)

    @method(const=True)
    def get_tls_crls(self) -> str:
        """[b]Extra (not in [HTTPClient]).[/b] The CRLs set by [method set_tls_crls]."""
        return self._c.get_tls_crls()


# The engine calls these three without a Python frame (a bulk loop makes all three per chunk).
PyHTTPClient.get_status.__godot_call__ = _godot.ClientCall(0, PyHTTPClient.get_status)  # type: ignore[attr-defined]
PyHTTPClient.poll.__godot_call__ = _godot.ClientCall(1, PyHTTPClient.poll)  # type: ignore[attr-defined]
PyHTTPClient.read_response_body_chunk.__godot_call__ = _godot.ClientCall(2, PyHTTPClient.read_response_body_chunk)  # type: ignore[attr-defined]
