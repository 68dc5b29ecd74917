"""One ``request()`` of the request node, from connecting to ``request_completed``, over a
``godot_http.HTTPClient`` that a ``Session`` keeps between requests.

Theory of operation
-------------------
``Session`` is the node's connection: one ``HTTPClient`` and the origin it is connected to.
A finished exchange whose response was complete and did not say ``Connection: close`` leaves
the client CONNECTED; the next request to the same origin (scheme, host, port, same TLS
options, same proxies) reuses it after a liveness ``poll()``, as does a redirect to the same
origin. Anything else closes it and connects again. ``connections`` counts the connects.

``Transfer`` is a state machine stepped by ``step(budget)``: each call does non-blocking work
until the request completes, nothing more can happen without waiting, or ``budget`` seconds
have passed, and returns a ``Completion`` or None. Nothing in it blocks: the resolver runs on
its own thread, connects and TLS handshakes advance one step per call, reads take what the
socket has. So the node may step it on the main thread once per frame (no frame waits on the
network) or on a worker thread between ``wait()`` calls (``wait`` sleeps in ``poll(2)`` for at
most the given time, so the worker notices a cancel quickly).

States: CONNECTING (client resolving/connecting/handshaking) -> SENDING (request queued,
client REQUESTING) -> BODY (reading, decoding, writing) -> [FLUSHING: the download file's
writer thread finishes and closes it; ASSEMBLING: a body kept in memory goes into one buffer,
``ASSEMBLY_STEP`` bytes per unit of work] -> DONE; REDIRECT_DRAIN reads and drops a redirect's
body (up to ``DRAIN_LIMIT``, else the connection is closed) before the next hop. While the
file's writer is ``MAX_QUEUED`` bytes behind, BODY reads nothing (the socket holds the rest).

Result mapping (built-in's where it is right, see docs/http-differences.md for the rest):

=============================================  ==========================================
client status / event                          result
=============================================  ==========================================
CANT_RESOLVE                                   RESULT_CANT_RESOLVE
CANT_CONNECT, DISCONNECTED before a response   RESULT_CANT_CONNECT
TLS_HANDSHAKE_ERROR                            RESULT_TLS_HANDSHAKE_ERROR
CONNECTION_ERROR (incl. a body cut short, a    RESULT_CONNECTION_ERROR (with the code and
non-HTTP reply)                                headers when the head had arrived)
Content-Length or decoded size over the limit  RESULT_BODY_SIZE_LIMIT_EXCEEDED
invalid gzip/deflate                           RESULT_BODY_DECOMPRESS_FAILED
download_file cannot be created / written      RESULT_DOWNLOAD_FILE_CANT_OPEN / _WRITE_ERROR
more redirects than max_redirects              RESULT_REDIRECT_LIMIT_REACHED
timeout seconds after request()                RESULT_TIMEOUT
=============================================  ==========================================
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from ..client import HOST_MIN_LEN, BodyChunk, HTTPClient
from ..errors import StreamEOF, StreamError
from ..stream import Stream
from ..tls import TLSOptions
from ._decode import DecodeError, Decoder, decoder_for
from ._redirect import REDIRECT_CODES, Hop, header_value, next_hop
from ._sink import ASSEMBLY_STEP, FileSink, MemorySink
from ._url import Target
from .results import Completion, Result

__all__ = ["Session", "Transfer", "Settings", "DRAIN_LIMIT", "DECODE_PIECE"]

# HTTPClient statuses and methods (plain ints on the hot path)
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
OK = 0
ERR_CANT_CONNECT = 25
#: RFC 9110 9.2.2: methods a client may retry on its own (GET, HEAD, PUT, DELETE, OPTIONS, TRACE).
IDEMPOTENT_METHODS = frozenset({0, 1, 3, 4, 5, 6})

#: A redirect's body is read and dropped up to this many bytes to keep the connection; a
#: longer one closes it instead.
DRAIN_LIMIT = 64 * 1024
#: Largest piece one ``Decoder.pull`` may produce (bounds memory and the time of one call).
DECODE_PIECE = 256 * 1024

# transfer states
CONNECTING, SENDING, BODY, REDIRECT_DRAIN, FLUSHING, DONE, ASSEMBLING = range(7)


@dataclass
class Settings:
    """The node's properties that shape a transfer (copied at ``request()`` time)."""

    accept_gzip: bool = True
    body_size_limit: int = -1
    max_redirects: int = 8
    timeout: float = 0.0
    download_path: str = ""  # an OS path; "" keeps the body in memory
    #: Makes the in-memory body's buffer (see MemorySink); None: a bytearray.
    body_buffer_factory: Callable[[int], Any] | None = None


class Session:
    """The node's HTTPClient and the origin it is connected to (see the module docstring)."""

    def __init__(self, client: HTTPClient) -> None:
        self.client = client
        self.key: Hashable = None
        self.connections = 0  # connects started (for tests and the docs' figures)

    def reusable_for(self, key: Hashable) -> bool:
        client = self.client
        if self.key != key or client.get_status() != S_CONNECTED:
            return False
        client.poll()  # liveness: notices a connection the server has closed
        return client.get_status() == S_CONNECTED

    def connect(self, target: Target, tls_options: TLSOptions | None, key: Hashable) -> int:
        client = self.client
        client.close()
        self.key = None
        host = target.host
        if ":" in host and len(host) < HOST_MIN_LEN:
            host = ipaddress.ip_address(host).exploded  # "::1": the client wants 4 characters
        error = client.connect_to_host(host, target.port, tls_options if target.tls else None)
        if error == OK:
            self.key = key
            self.connections += 1
        return error

    def close(self) -> None:
        self.client.close()
        self.key = None


class Transfer:
    def __init__(
        self,
        session: Session,
        method: int,
        target: Target,
        headers: Iterable[str],
        body: bytes,
        settings: Settings,
        tls_options: TLSOptions | None = None,
        proxy_key: Hashable = None,
        clock: Callable[[], float] = time.monotonic,
        report_warning: Callable[[str], None] | None = None,
    ) -> None:
        self.session = session
        self.client = session.client
        self.method = method
        self.target = target
        self.headers = list(headers)
        self.body = body
        self.settings = settings
        self.tls_options = tls_options
        self.proxy_key = proxy_key
        self.clock = clock
        self.report_warning = report_warning
        self.started = clock()
        self.deadline = self.started + settings.timeout if settings.timeout > 0 else None
        self.state = CONNECTING
        self.redirections = 0
        self.reused = False
        self.retried = False
        self.downloaded = 0
        self.body_size = -1
        self.final_size = 0
        self.code = 0
        self.response_headers: list[str] = []
        self.decoder: Decoder | None = None
        self.sink: MemorySink | FileSink | None = None
        self._hop: Hop | None = None
        self.body_ended = False
        self.completion: Completion | None = None
        self._drained = 0
        self._lending = False  # the client reads into the file sink's pieces (_on_head)
        self._lent_over: Callable[[int], Any] | None = None  # the client's factory meanwhile
        # As the built-in: added unless a caller header starts with "Accept-Encoding".
        if settings.accept_gzip and not any(h.strip().lower().startswith("accept-encoding") for h in self.headers):
            self.headers.append("Accept-Encoding: gzip, deflate")

    # ---------------------------------------------------------------- starting
    def _key(self, target: Target) -> Hashable:
        return (target.origin, id(self.tls_options) if target.tls else None, self.proxy_key)

    def start(self) -> int:
        """Connect (or reuse the kept connection); the Error ``request()`` returns."""
        return self._begin(self.target)

    def _begin(self, target: Target) -> int:
        self.target = target
        key = self._key(target)
        if self.session.reusable_for(key):
            self.reused = True
            return self._send()
        self.reused = False
        self.state = CONNECTING
        error = self.session.connect(target, self.tls_options, key)
        if error != OK:
            return ERR_CANT_CONNECT
        return OK

    def _send(self) -> int:
        headers = self.headers
        if ":" in self.target.host and not any(h.strip().lower().startswith("host:") for h in headers):
            # An IPv6 literal goes in brackets in Host (RFC 9110 7.2, RFC 3986 3.2.2).
            headers = headers + [f"Host: {self.target.authority}"]
        error = self.client.request_raw(self.method, self.target.path, headers, self.body)
        if error != OK:
            self._finish(Result.RESULT_CONNECTION_ERROR)
            return OK
        self.state = SENDING
        return OK

    # ---------------------------------------------------------------- stepping
    def status(self) -> int:
        return self.client.get_status()

    def expired(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline

    def step(self, budget: float) -> Completion | None:
        """Advance without blocking for up to ``budget`` seconds (see the module docstring)."""
        if self.completion is not None:
            return self.completion
        if self.expired():
            return self.fail(Result.RESULT_TIMEOUT)
        until = self.clock() + budget
        try:
            while self.completion is None:
                progressed = self._advance()
                if not progressed or self.clock() >= until:
                    break
        except Exception as exc:
            if self.report_warning is not None:
                self.report_warning(f"Internal error in the request ({type(exc).__name__}: {exc}).")
            self.fail(Result.RESULT_REQUEST_FAILED)
        return self.completion

    def _advance(self) -> bool:
        """One unit of work; False when nothing more can happen without waiting."""
        state = self.state
        client = self.client
        if state == BODY or state == REDIRECT_DRAIN:
            return self._read_body()
        if state == FLUSHING:
            return self._flushed()
        if state == ASSEMBLING:
            assert isinstance(self.sink, MemorySink)
            if self.sink.assemble(ASSEMBLY_STEP):
                return self._complete()
            return True
        status = client.get_status()
        if state == CONNECTING:
            if status in (S_RESOLVING, S_CONNECTING):
                client.poll()
                return client.get_status() != status
            if status == S_CONNECTED:
                self._send()
                return True
            return self._failed_status(status)
        # SENDING
        if status == S_REQUESTING:
            client.poll()
            return client.get_status() != S_REQUESTING
        if status == S_BODY or status == S_CONNECTED:
            return self._on_head(status)
        if self.reused and not self.retried and self.method in IDEMPOTENT_METHODS:
            # The kept connection died under the request (the server closed it while idle):
            # send it once more on a fresh connection, as browsers do.
            self.retried = True
            self.session.close()
            return self._restart(self.target)
        return self._failed_status(status)

    def _restart(self, target: Target) -> bool:
        if self._begin(target) != OK:
            self.fail(Result.RESULT_CANT_CONNECT)
        return True

    def _failed_status(self, status: int) -> bool:
        if status == S_CANT_RESOLVE:
            self.fail(Result.RESULT_CANT_RESOLVE)
        elif status == S_TLS_HANDSHAKE_ERROR:
            self.fail(Result.RESULT_TLS_HANDSHAKE_ERROR)
        elif status == S_CONNECTION_ERROR:
            self.fail(Result.RESULT_CONNECTION_ERROR)
        else:
            self.fail(Result.RESULT_CANT_CONNECT)
        return True

    def _on_head(self, status: int) -> bool:
        client = self.client
        self.code = client.get_response_code()
        self.response_headers = list(client.get_response_headers())
        self.downloaded = 0
        self.final_size = 0
        has_body = status == S_BODY
        hop = None
        if self.code in REDIRECT_CODES:
            hop = next_hop(
                self.code,
                header_value(self.response_headers, "Location"),
                self.method,
                self.target,
                self.headers,
                self.body,
            )
        if hop is not None:
            limit = self.settings.max_redirects
            if limit >= 0 and self.redirections >= limit:
                return self._finish(Result.RESULT_REDIRECT_LIMIT_REACHED, self.code, self.response_headers)
            self.redirections += 1
            self._hop = hop
            self._drained = 0
            if has_body:
                self.state = REDIRECT_DRAIN
                return True
            return self._follow()
        chunked = client.is_response_chunked()
        length = client.get_response_body_length()
        self.body_size = -1 if chunked else length
        if not has_body or (not chunked and length == 0):
            if has_body:
                client.read_response_body_chunk()  # an empty body: lets the client reach CONNECTED
            self.sink = MemorySink(self.settings.body_buffer_factory)
            return self._complete()
        limit = self.settings.body_size_limit
        if limit >= 0 and self.body_size > limit:
            return self._finish(Result.RESULT_BODY_SIZE_LIMIT_EXCEEDED, self.code, self.response_headers)
        if self.settings.download_path:
            self.sink = FileSink(self.settings.download_path)
            try:
                self.sink.open()
            except OSError:
                self.sink = None
                return self._finish(Result.RESULT_DOWNLOAD_FILE_CANT_OPEN, self.code, self.response_headers)
        else:
            self.sink = MemorySink(self.settings.body_buffer_factory)
        if self.settings.accept_gzip:
            self.decoder = decoder_for(header_value(self.response_headers, "Content-Encoding"))
        if isinstance(self.sink, FileSink) and self.decoder is None:
            # The body lands in pieces the file's writer hands back once written (_sink.py).
            self._lent_over = client.body_buffer_factory
            client.body_buffer_factory = self.sink.buffer
            self._lending = True
        self.state = BODY
        return True

    def _follow(self) -> bool:
        hop = self._hop
        assert hop is not None  # set by _on_head before any drain or follow
        self.method, self.headers, self.body = hop.method, list(hop.headers), hop.body
        self.code = 0
        self.response_headers = []
        self.body_size = -1
        if self.client.get_status() != S_CONNECTED:
            self.session.close()
        return self._restart(hop.target)

    def _read_body(self) -> bool:
        client = self.client
        decoder = self.decoder
        sink = self.sink
        if self.state == BODY and sink is not None and not sink.has_room():
            if isinstance(sink, FileSink) and sink.error is not None:
                return self._finish(Result.RESULT_DOWNLOAD_FILE_WRITE_ERROR, self.code, self.response_headers)
            return False  # the disk is behind: leave the rest in the socket for now
        if self.state == BODY and decoder is not None and decoder.pending:
            try:
                piece = decoder.pull(DECODE_PIECE)
            except DecodeError:
                return self._finish(Result.RESULT_BODY_DECOMPRESS_FAILED, self.code, self.response_headers)
            if piece:
                self._deliver(piece)
                return True
        if self.body_ended:
            return self._end_of_body()
        if client.get_status() != S_BODY:
            return self._body_stopped()
        chunk = client.read_response_body_chunk()
        status = client.get_status()
        if chunk:
            if self.state == REDIRECT_DRAIN:
                self._drained += len(chunk)
                if self._drained > DRAIN_LIMIT:
                    self.session.close()
                    return self._follow()
            else:
                self.downloaded += len(chunk)
                if decoder is not None:
                    decoder.push(chunk)
                elif not self._deliver(chunk):
                    return True
        if status != S_BODY:
            return self._body_stopped()
        return bool(chunk)

    def _body_stopped(self) -> bool:
        status = self.client.get_status()
        if status in (S_CONNECTED, S_DISCONNECTED):
            if self.state == REDIRECT_DRAIN:
                return self._follow()
            self.body_ended = True
            return True
        if self.state == REDIRECT_DRAIN:
            self.session.close()
            return self._follow()
        return self._finish(Result.RESULT_CONNECTION_ERROR, self.code, self.response_headers)

    def _deliver(self, piece: BodyChunk) -> bool:
        """Hand a decoded piece to the sink; False when that ended the transfer."""
        if not piece:
            return False
        self.final_size += len(piece)
        limit = self.settings.body_size_limit
        if limit >= 0 and self.final_size > limit:
            self._finish(Result.RESULT_BODY_SIZE_LIMIT_EXCEEDED, self.code, self.response_headers)
            return False
        try:
            assert self.sink is not None  # opened by _on_head before any body byte
            self.sink.write(piece)
        except OSError:
            self._finish(Result.RESULT_DOWNLOAD_FILE_WRITE_ERROR, self.code, self.response_headers)
            return False
        return True

    def _end_of_body(self) -> bool:
        if self.decoder is not None:
            try:
                self.decoder.finish()
            except DecodeError:
                return self._finish(Result.RESULT_BODY_DECOMPRESS_FAILED, self.code, self.response_headers)
        if isinstance(self.sink, FileSink):
            # request_completed comes once the file is written and closed.
            self.sink.close()
            self.state = FLUSHING
            return self._flushed()
        if isinstance(self.sink, MemorySink):
            # The pieces go into one buffer a few MiB per step (one frame never copies it all).
            self.state = ASSEMBLING
            return True
        return self._complete()

    def _flushed(self) -> bool:
        sink = self.sink
        assert isinstance(sink, FileSink)
        if sink.error is not None:
            return self._finish(Result.RESULT_DOWNLOAD_FILE_WRITE_ERROR, self.code, self.response_headers)
        if not sink.closed:
            return False
        return self._complete()

    def _complete(self) -> bool:
        keep = header_value(self.response_headers, "Connection")
        if keep is not None and "close" in [t.strip().lower() for t in keep.split(",")]:
            self.session.close()
        body = self.sink.body() if self.sink is not None else b""
        return self._finish(Result.RESULT_SUCCESS, self.code, self.response_headers, body)

    # ---------------------------------------------------------------- ending
    def _finish(self, result: int, code: int = 0, headers: Iterable[str] | None = None, body: bytes = b"") -> bool:
        self._stop_lending()
        if self.completion is None:
            self.completion = Completion(int(result), code, list(headers or ()), body)
            self.state = DONE
            if self.sink is not None and result != Result.RESULT_SUCCESS:
                self.sink.abort()
            if result != Result.RESULT_SUCCESS or self.client.get_status() != S_CONNECTED:
                self.session.close()
        return True

    def _stop_lending(self) -> None:
        """The client stops reading into the file sink's pieces (it keeps no spare of them)
        and gets back the factory it had."""
        if self._lending:
            self._lending = False
            self.client.body_buffer_factory = self._lent_over

    def fail(self, result: int) -> Completion:
        """End now with ``result`` (timeout, cancel): the connection is closed."""
        self._finish(result)
        assert self.completion is not None
        return self.completion

    def abort(self) -> None:
        """Stop without a result (cancel_request, leaving the tree): close everything."""
        self._stop_lending()
        if self.sink is not None:
            self.sink.abort()
        if self.completion is None:
            self.session.close()
        self.state = DONE

    # ---------------------------------------------------------------- waiting (worker thread)
    def wait(self, timeout: float) -> None:
        """Sleep until the connection has something to do, for at most ``timeout`` seconds."""
        if self.deadline is not None:
            timeout = max(0.0, min(timeout, self.deadline - self.clock()))
        conn: Stream | None = self.client.get_connection()
        status = self.client.get_status()
        waiting_for_disk = self.state in (FLUSHING, ASSEMBLING) or (self.sink is not None and not self.sink.has_room())
        if (
            conn is None
            or status == S_RESOLVING
            or waiting_for_disk
            or (self.decoder is not None and self.decoder.pending)
        ):
            time.sleep(min(timeout, 0.001))
            return
        writable = status == S_CONNECTING or (status == S_REQUESTING and bool(self.client._request_buf))
        try:
            conn.wait(not writable, writable, timeout)
        except (OSError, ValueError, StreamEOF, StreamError):
            time.sleep(min(timeout, 0.001))
