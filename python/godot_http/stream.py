"""Byte streams the client talks through: the small ``Stream`` interface and its TCP/TLS forms.

The interface (everything the HTTP client ever calls on a stream)
-----------------------------------------------------------------
``recv(max_bytes) -> bytes``
    Up to ``max_bytes`` bytes that are available *now*; ``b""`` when none are (never blocks).
    Raises ``StreamEOF`` when the peer ended the stream cleanly (TCP FIN, TLS close_notify) and
    ``StreamError`` when it broke (reset, abrupt TLS end, any other failure).
``recv_into(view) -> int``
    Same, into a writable buffer; returns the count (0 = nothing now). Default: via ``recv``.
``send(data) -> int``
    Accept as many bytes as possible without blocking; 0 when none fit now. ``StreamError`` on failure.
``peer_closed() -> bool``
    Liveness: True when the stream is finished or broken *and nothing is left to read*. It may
    read ahead into the stream's own buffer (``recv`` then returns those bytes first).
``wait(readable, writable, timeout)``
    Block until a ``recv``/``send`` could make progress, or ``timeout`` seconds (None = no limit).
    Only blocking mode uses it. Default: sleep 1 ms (adapters without a file descriptor).
``close()``; attribute ``is_tls`` (True for a TLS stream: ``set_connection`` checks it).
Attribute ``exact_head`` (True where ``can_peek`` is False but a caller may read the stream
after the client, e.g. the engine's ``StreamPeerTLS`` that ``get_connection()`` returns)
    The client reads a response head in reads too small to pass its end (1 or 2 bytes), as
    the built-in does, so the body stays in the stream.
``peek(max_bytes) -> bytes`` (only where ``can_peek`` is True: plain TCP)
    Like ``recv`` but leaves the bytes in the stream. The client peeks while reading a
    response head and takes exactly the head, so the body stays in the socket, where the
    engine's StreamPeerTCP (``get_connection()``) sees it, as with the built-in.

A Godot ``StreamPeer`` adapter implements ``recv`` with ``get_partial_data``, ``send`` with
``put_partial_data``, ``peer_closed`` with ``get_status()`` (StreamPeerTCP/TLS) or ``False``.

``TCPStream`` adds the non-blocking connect (``connect`` then ``poll_connect`` once per client
poll, ``CONNECT_TIMEOUT``); ``TLSStream`` wraps a connected ``TCPStream`` in a non-blocking
``ssl.SSLSocket`` whose handshake advances one step per ``handshake_step()`` call.
"""

import errno
import select
import socket
import ssl
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ._crl import describe
from .errors import ConnectError, StreamEOF, StreamError, TLSError

__all__ = ["Stream", "TCPStream", "TLSStream", "CONNECT_TIMEOUT", "StreamEOF", "StreamError"]

#: Godot's ``network/limits/tcp/connect_timeout_seconds`` default, measured from the connect call.
CONNECT_TIMEOUT = 30.0

# TCPStream states (Godot's StreamPeerTCP::Status).
TCP_NONE = 0
TCP_CONNECTING = 1
TCP_CONNECTED = 2
TCP_ERROR = 3

_MSG_NOSIGNAL = getattr(socket, "MSG_NOSIGNAL", 0)
_POLLIN = select.POLLIN | select.POLLPRI | select.POLLHUP | select.POLLERR
# The liveness check also asks for POLLRDHUP (the peer's FIN, Linux): while it is absent, a
# readable socket holds data, so the check needs no MSG_PEEK recv (which costs as much as a
# read when the peer is filling the socket: docs/benchmarks.md, plain bulk).
_POLLRDHUP = getattr(select, "POLLRDHUP", 0)
_POLL_LIVENESS = _POLLIN | _POLLRDHUP
_CLOSED_EVENTS = _POLLRDHUP | select.POLLHUP | select.POLLERR | select.POLLNVAL
_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN, 0}
_A = TypeVar("_A")  # what a TLS read takes (a size, a view)
_R = TypeVar("_R")  # what it gives (bytes, a count)


class Stream:
    """Interface of a byte stream (see the module docstring). Subclass and override."""

    is_tls = False
    can_peek = False
    #: The socket a caller may ``recv()`` this stream's bytes from directly, or -1 (TLS, adapters).
    _fd = -1
    exact_head = False

    def recv(self, max_bytes: int) -> bytes:
        raise NotImplementedError

    def peek(self, max_bytes: int) -> bytes:
        raise NotImplementedError

    def recv_into(self, view: memoryview) -> int:
        data = self.recv(len(view))
        n = len(data)
        view[:n] = data
        return n

    def send(self, data: bytes | bytearray | memoryview) -> int:
        raise NotImplementedError

    def peer_closed(self) -> bool:
        return False

    def wait(self, readable: bool, writable: bool, timeout: float | None = None) -> None:
        time.sleep(0.001 if timeout is None else min(timeout, 0.001))

    def close(self) -> None:
        pass


def _wait_fd(fd: int, readable: bool, writable: bool, timeout: float | None) -> None:
    p = select.poll()
    p.register(fd, (_POLLIN if readable else 0) | (select.POLLOUT if writable else 0))
    p.poll(None if timeout is None else int(timeout * 1000))


class TCPStream(Stream):
    """A non-blocking TCP connection, created unconnected like Godot's StreamPeerTCP."""

    __slots__ = ("sock", "state", "_poller", "_started", "_fd", "_rdhup")

    def __init__(self) -> None:
        self.sock: Any = None  # socket.socket, or the ssl.SSLSocket a TLSStream puts there
        self.state = TCP_NONE
        self._poller: Any = None  # select.poll
        self._started = 0.0
        self._fd = -1
        self._rdhup = False  # the poller reports the peer's FIN (POLLRDHUP): see peer_closed

    def _watch(self) -> None:
        """Poll the connected socket for data, errors and the peer's FIN (POLLRDHUP)."""
        poller = select.poll()
        poller.register(self._fd, _POLL_LIVENESS)
        self._poller = poller
        self._rdhup = bool(_POLLRDHUP)

    # -- connecting ------------------------------------------------------------------------
    def connect(self, ip: str, port: int) -> None:
        """Start connecting. Raises ``ConnectError(message, godot_error)`` when it cannot start."""
        self.close()
        if not 1 <= port <= 65535:
            raise ConnectError("The remote port number must be between 1 and 65535 (inclusive).", 31)
        family = socket.AF_INET6 if ":" in ip else socket.AF_INET
        try:
            sock = socket.socket(family, socket.SOCK_STREAM)
        except OSError as exc:
            raise ConnectError("Connection to remote host failed!", 1) from exc
        sock.setblocking(False)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            err = sock.connect_ex((ip, port))
        except OSError as exc:
            sock.close()
            raise ConnectError("Connection to remote host failed!", 1) from exc
        if err not in _IN_PROGRESS:
            sock.close()
            raise ConnectError("Connection to remote host failed!", 1)
        self.sock = sock
        self._fd = sock.fileno()
        self._poller = select.poll()
        self._poller.register(self._fd, select.POLLOUT)
        self._started = time.monotonic()
        self.state = TCP_CONNECTING

    def poll_connect(self) -> int:
        """Advance a pending connect without blocking; returns the TCP state."""
        if self.state != TCP_CONNECTING:
            return self.state
        if self._poller.poll(0):
            err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err == 0:
                self._watch()
                self.state = TCP_CONNECTED
            else:
                self.state = TCP_ERROR
        elif time.monotonic() - self._started > CONNECT_TIMEOUT:
            self.state = TCP_ERROR
        return self.state

    # -- Stream interface -----------------------------------------------------------------
    can_peek = True

    def peek(self, max_bytes: int) -> bytes:
        try:
            data: bytes = self.sock.recv(max_bytes, socket.MSG_PEEK)
        except BlockingIOError:
            return b""
        except (OSError, AttributeError) as exc:
            raise StreamError(str(exc)) from exc
        if not data:
            raise StreamEOF()
        return data

    def recv(self, max_bytes: int) -> bytes:
        try:
            data: bytes = self.sock.recv(max_bytes)
        except BlockingIOError:
            return b""
        except (OSError, AttributeError) as exc:
            raise StreamError(str(exc)) from exc
        if not data:
            raise StreamEOF()
        return data

    def recv_into(self, view: memoryview) -> int:
        try:
            n: int = self.sock.recv_into(view)
        except BlockingIOError:
            return 0
        except (OSError, AttributeError) as exc:
            raise StreamError(str(exc)) from exc
        if not n:
            raise StreamEOF()
        return n

    def send(self, data: bytes | bytearray | memoryview) -> int:
        try:
            sent: int = self.sock.send(data, _MSG_NOSIGNAL)
            return sent
        except BlockingIOError:
            return 0
        except (OSError, AttributeError) as exc:
            raise StreamError(str(exc)) from exc

    def peer_closed(self) -> bool:
        if self.state != TCP_CONNECTED:
            return True
        events = self._poller.poll(0)
        if not events:
            return False
        if self._rdhup and not events[0][1] & _CLOSED_EVENTS:
            return False  # data and no FIN: alive, as the peek would say
        try:
            peeked: bytes = self.sock.recv(1, socket.MSG_PEEK)
            return peeked == b""
        except BlockingIOError:
            return False
        except OSError:
            return True

    def idle(self) -> bool:
        """True when the connection is up and the socket has nothing to say: no bytes waiting,
        no FIN, no error (one ``poll(0)``, no read). Then nothing is stale and a request may be
        sent at once; any event leaves the decision to ``recv`` and ``peer_closed``."""
        return self.state == TCP_CONNECTED and not self._poller.poll(0)

    def wait(self, readable: bool, writable: bool, timeout: float | None = None) -> None:
        if self.sock is not None:
            _wait_fd(self._fd, readable, writable, timeout)

    def fileno(self) -> int:
        return self._fd

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock = None
        self._poller = None
        self._fd = -1
        self.state = TCP_NONE


class TLSStream(Stream):
    """TLS over a connected ``TCPStream``; the handshake advances once per ``handshake_step()``."""

    is_tls = True
    can_peek = False

    def __init__(self, tcp: TCPStream, context: ssl.SSLContext, server_hostname: str | None) -> None:
        self.tcp = tcp
        self._unread = b""
        self._eof = False
        try:
            self.ssl = context.wrap_socket(
                tcp.sock, server_hostname=server_hostname, do_handshake_on_connect=False, suppress_ragged_eofs=False
            )
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise TLSError(str(exc)) from exc
        tcp.sock = self.ssl  # the TCP stream now closes the TLS socket (same descriptor)
        self.connected = False

    def handshake_step(self) -> bool:
        """One non-blocking handshake step: True when done. Raises ``TLSError`` on failure."""
        try:
            self.ssl.do_handshake()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return False
        except (ssl.SSLError, OSError, ValueError) as exc:
            verify_message = getattr(exc, "verify_message", None)
            if verify_message:
                raise TLSError(describe(getattr(exc, "verify_code", 0), verify_message)) from exc
            raise TLSError(str(exc)) from exc
        self.connected = True
        return True

    def peer_certificate(self) -> bytes | None:
        return self.ssl.getpeercert(binary_form=True)

    def _ssl_read(self, read: Callable[[_A], _R], arg: _A, nothing: _R) -> _R:
        """One non-blocking TLS read, translated once: ``nothing`` while no record is ready,
        StreamEOF on close_notify or a 0-byte read, StreamError when the connection broke."""
        try:
            got = read(arg)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return nothing
        except ssl.SSLZeroReturnError as exc:
            raise StreamEOF() from exc
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise StreamError(str(exc)) from exc
        if not got:
            raise StreamEOF()
        return got

    def recv(self, max_bytes: int) -> bytes:
        if self._unread:
            data, self._unread = self._unread[:max_bytes], self._unread[max_bytes:]
            return data
        if self._eof:
            raise StreamEOF()
        return self._ssl_read(self.ssl.recv, max_bytes, b"")

    def recv_into(self, view: memoryview) -> int:
        if self._unread or self._eof:
            return Stream.recv_into(self, view)
        return self._ssl_read(self.ssl.recv_into, view, 0)

    def send(self, data: bytes | bytearray | memoryview) -> int:
        try:
            return self.ssl.send(data)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return 0
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise StreamError(str(exc)) from exc

    def peer_closed(self) -> bool:
        if self._unread or self.ssl.pending():
            return False
        if self._eof or self.tcp.state != TCP_CONNECTED:
            return True
        if not self.tcp._poller.poll(0):
            return False
        try:
            data = self.ssl.recv(16384)
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            return False
        except (ssl.SSLError, OSError, ValueError):
            return True
        if not data:
            self._eof = True
            return True
        self._unread += data
        return False

    def wait(self, readable: bool, writable: bool, timeout: float | None = None) -> None:
        if readable and (self._unread or self._eof or self.ssl.pending()):
            return
        self.tcp.wait(readable, writable, timeout)

    def close(self) -> None:
        self.tcp.close()
