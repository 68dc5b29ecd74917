"""PyHTTPRequest: Godot's HTTPRequest node re-implemented in Python (godot_http), as a Godot class.

Theory of operation
-------------------
The node is the Godot face of ``godot_http.request`` (pure Python, tested without Godot): a
``Session`` (one ``godot_http.HTTPClient`` kept between requests for keep-alive reuse) and one
``Transfer`` per ``request()``. The node adds what only a node can do:

* stepping: without ``use_threads`` the internal process notification steps the transfer for
  at most ``FRAME_BUDGET`` seconds per frame (nothing in a step blocks, so no frame waits on
  the network); with ``use_threads`` a Python thread steps it and sleeps in ``poll(2)`` for at
  most ``WORKER_WAIT`` seconds between steps, so ``cancel_request()`` (and leaving the tree)
  stops it within a few milliseconds. The bridge releases the GIL around engine calls and
  Python releases it in socket waits, so the thread runs beside the main loop;
* signals on the main thread: without threads the internal process notification emits
  ``request_progress`` when bytes arrived since the last frame; a worker queues it as a
  deferred ``emit_signal`` (at most once per frame) and queues ``_request_done`` when it
  ends, so no Python runs on the main thread while it works (a frame would wait for the GIL).
  A finished transfer is delivered through ``call_deferred`` (as the built-in does), so a
  handler may free the node or start the next request. A completion that a
  ``cancel_request()`` overtook is dropped: cancelling means no ``request_completed``;
* its own work measured (``get_frame_work()``): per frame and per worker step, wall and CPU
  time, against ``FRAME_WORK_LIMIT``;
* Godot objects converted at the boundary: ``TLSOptions`` (through PyHTTPClient's converter),
  ``download_file`` (globalized to an OS path), ``PackedStringArray``/``PackedByteArray``.

Deliberate differences from the built-in are listed in docs/http-differences.md (section
"PyHTTPRequest"); the node's page is docs/pyhttprequest.md.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Annotated

import _godot
import godot
import py_http_client
from godot import Node, Property, Signal, method
from godot_http import client as _client_mod
from godot_http import tls as _tls
from godot_http.request import Completion, Session, Settings, Transfer, URLError, parse_url
from godot_http.request import Result as _CoreResult

PackedStringArray = godot.PackedStringArray
_NO_HEADERS = PackedStringArray()  # the default of request()'s custom_headers (never mutated)

OK = 0
ERR_UNCONFIGURED = 3
ERR_CANT_CONNECT = 25
ERR_INVALID_PARAMETER = 31
ERR_BUSY = 44
STATUS_DISCONNECTED = 0

NOTIFICATION_EXIT_TREE = 11
NOTIFICATION_INTERNAL_PROCESS = 25
NOTIFICATION_PREDELETE = 1

#: Seconds of transfer work per frame without threads (reading, decoding, writing).
FRAME_BUDGET = 0.004
#: The worker thread's longest sleep between steps (how fast it sees a cancel).
WORKER_WAIT = 0.005
#: The worker thread's work per step before it looks at the cancel flag again.
WORKER_BUDGET = 0.005
#: How long cancel_request() waits for the worker to stop (it stops within a step and a wait).
JOIN_TIMEOUT = 0.04
#: The most transfer work one frame (or one worker step) may take: its budget, plus one unit of
#: work begun before the budget ran out (a read of ``download_chunk_size``, its decoding and
#: its hand-over to the body). ``get_frame_work()`` reports what the node measured against it.
FRAME_WORK_LIMIT = 0.010

# Ints for Python (the core takes and returns plain ints, as the bridge passes them), the
# engine's enums for Godot: the same argument and return types as the built-in HTTPRequest.
_Error = Annotated[int, godot.Error]
_Method = Annotated[int, godot.HTTPClient.Method]
_Status = Annotated[int, godot.HTTPClient.Status]


_report_error = py_http_client._report_error  # errors name the calling method, like the engine's
_engine = godot.Engine


class _WorkClock:
    """How long the node's own code ran, per frame on the main thread and per step on the
    worker: wall time (``perf_counter``, which the OS stretches when it takes the CPU away) and
    the thread's CPU time (``thread_time``: what the code itself used). The longest of each and
    how many went over ``FRAME_WORK_LIMIT``; ``get_frame_work()`` shows them (tests assert on
    them rather than on wall frame times, which other processes stretch)."""

    __slots__ = ("count", "longest", "longest_cpu", "over_limit", "total_cpu")

    def __init__(self) -> None:
        self.count = 0
        self.longest = 0.0
        self.longest_cpu = 0.0
        self.over_limit = 0
        self.total_cpu = 0.0

    def add(self, wall: float, cpu: float) -> None:
        self.count += 1
        self.total_cpu += cpu
        if wall > self.longest:
            self.longest = wall
        if cpu > self.longest_cpu:
            self.longest_cpu = cpu
        if cpu > FRAME_WORK_LIMIT:
            self.over_limit += 1

    def as_dict(self, prefix: str) -> dict[str, int]:
        return {
            prefix + "count": self.count,
            prefix + "longest_usec": round(self.longest * 1e6),
            prefix + "longest_cpu_usec": round(self.longest_cpu * 1e6),
            prefix + "over_limit": self.over_limit,
            prefix + "cpu_usec": round(self.total_cpu * 1e6),
        }


class _Job:
    """One request's transfer and the flags it shares with a worker thread. The worker only
    ever touches this object, never the node (which may be freed while it runs)."""

    __slots__ = ("transfer", "quit", "thread", "completion", "steps", "reported", "_emit", "_done", "__weakref__")

    def __init__(self, transfer: Transfer) -> None:
        self.transfer = transfer
        self.quit = threading.Event()
        self.thread: threading.Thread | None = None
        self.completion: Completion | None = None
        self.steps = _WorkClock()  # the worker's steps
        self.reported = (-1, -1)  # the last request_progress values the worker queued
        self._emit: godot.Callable | None = None
        self._done: godot.Callable | None = None

    def start_thread(self, node: Node) -> None:
        """Run the transfer on a worker that tells the node through deferred calls: the main
        thread runs no Python while the transfer runs (a frame that needs the GIL waits for
        whichever of the worker and the file writer holds it, and on a loaded machine the OS
        may have taken the CPU from that thread: frames of 50-120 ms). The Callables hold the
        node's id, not the node: a call queued for a node freed meanwhile is dropped."""
        self._emit = godot.Callable(node, "emit_signal")
        self._done = godot.Callable(node, "_request_done")
        self.thread = threading.Thread(target=self.run, name="PyHTTPRequest", daemon=True)
        self.thread.start()

    def run(self) -> None:  # on the worker thread
        transfer = self.transfer
        steps = self.steps
        frame = -1
        try:
            if transfer.start() != OK:
                self.completion = transfer.fail(_CoreResult.RESULT_CANT_CONNECT)
                return
            while not self.quit.is_set():
                wall, cpu = time.perf_counter(), time.thread_time()
                done = transfer.step(WORKER_BUDGET)
                steps.add(time.perf_counter() - wall, time.thread_time() - cpu)
                if done is not None:
                    self.completion = done
                    return
                # request_progress at most once per frame, emitted on the main thread.
                values = (transfer.downloaded, transfer.body_size)
                if values != self.reported and values[0] > 0 and self._emit is not None:
                    now = _engine.get_process_frames()
                    if now != frame:
                        frame, self.reported = now, values
                        self._emit.call_deferred("request_progress", *values)
                transfer.wait(WORKER_WAIT)
            transfer.abort()  # cancelled: close here too, in case the node stopped waiting for us
        except Exception as exc:
            _godot.report_exception("PyHTTPRequest worker thread", exc)
            self.completion = transfer.fail(_CoreResult.RESULT_REQUEST_FAILED)
        finally:
            if self._done is not None and not self.quit.is_set():
                self._done.call_deferred()


class PyHTTPRequest(Node):
    """A node with the ability to send HTTP(S) requests, written in Python: a drop-in for [HTTPRequest].

    [PyHTTPRequest] has the methods, properties (same defaults and hints), the
    [signal request_completed] signal and the [enum Result] values of Godot's built-in
    [HTTPRequest]: a scene written for [HTTPRequest] works after changing the node's type.
    It is built on [code]godot_http[/code] ([PyHTTPClient]'s core).

    Where the built-in is wrong it does better, without breaking code written for it:
    - no frame blocks on the network, with or without [member use_threads] (also on
      [member timeout], [method cancel_request] and when the node leaves the tree), and no
      [signal request_completed] arrives after [method cancel_request];
    - redirects follow RFC 9110 15.4: 301/302 keep the method except POST (becomes GET
      without its body), 303 becomes GET, 307/308 keep method and body; a relative
      [code]Location[/code] is resolved per RFC 3986; [code]Authorization[/code] and
      [code]Cookie[/code] are not sent to another origin;
    - gzip and deflate bodies are decoded as they arrive with zlib (any number of gzip
      members, any [member download_chunk_size]);
    - bodies cut short give [constant RESULT_CONNECTION_ERROR]; bodies without length
      framing are read until the server closes; [code]100 Continue[/code] and bare
      [code]204[/code] responses work; a reply that is not HTTP is an error;
      [code]http://[::1]:port/[/code] works;
    - [member download_file] is written as the body arrives (also when decoding);
    - the connection is kept for the next request to the same origin and across
      same-origin redirects.
    It adds [signal request_progress]. The full list, with reasons, is in
    [code]docs/http-differences.md[/code].
    """

    # HTTPRequest.Result: the core's enum (godot_http/request/results.py), registered as this
    # class's own (PyHTTPRequest.Result, constants RESULT_SUCCESS, ...).
    Result = _CoreResult

    request_completed = Signal(
        result=int, response_code=int, headers=PackedStringArray, body=bytes, doc="Emitted when a request is completed."
    )
    request_progress = Signal(
        downloaded_bytes=int,
        body_size=int,
        doc="[b]Extra (not in [HTTPRequest]).[/b] Emitted at most once per frame while the "
        "response body arrives, and once more before [signal request_completed]: the "
        "body bytes received so far ([method get_downloaded_bytes], before decoding) and "
        "the total ([method get_body_size]; [code]-1[/code] when the server did not "
        "say, e.g. a chunked body).",
    )

    download_file = Property(
        str,
        default="",
        setter="set_download_file",
        getter="get_download_file",
        hint=godot.custom_hint(44, ""),
        doc="The file to download into. Will output any received file into it; it is written as the body arrives.",
    )
    download_chunk_size = Property(
        int,
        default=65536,
        setter="set_download_chunk_size",
        getter="get_download_chunk_size",
        hint=godot.hint_range(256, 16777216, suffix="B"),
        doc="The size of the buffer used and maximum bytes to read per iteration. "
        "See [member PyHTTPClient.read_chunk_size].",
    )
    use_threads = Property(
        bool,
        default=False,
        setter="set_use_threads",
        getter="is_using_threads",
        doc="If [code]true[/code], the transfer runs on a thread instead of the main "
        "thread's frames. Either way no frame waits on the network.",
    )
    accept_gzip = Property(
        bool,
        default=True,
        setter="set_accept_gzip",
        getter="is_accepting_gzip",
        doc="If [code]true[/code], this header will be added to each request: "
        "[code]Accept-Encoding: gzip, deflate[/code] telling servers that it's okay to "
        "compress response bodies; such bodies are decoded as they arrive.",
    )
    body_size_limit = Property(
        int,
        default=-1,
        setter="set_body_size_limit",
        getter="get_body_size_limit",
        hint=godot.hint_range(-1, 2000000000, suffix="B"),
        doc="Maximum allowed size for response bodies (after decoding). If the response "
        "body is larger, the request fails with "
        "[constant RESULT_BODY_SIZE_LIMIT_EXCEEDED]. [code]-1[/code]: no limit.",
    )
    max_redirects = Property(
        int,
        default=8,
        setter="set_max_redirects",
        getter="get_max_redirects",
        hint=godot.hint_range(-1, 64),
        doc="Maximum number of allowed redirects ([code]-1[/code]: no limit).",
    )
    timeout = Property(
        float,
        default=0.0,
        setter="set_timeout",
        getter="get_timeout",
        hint=godot.hint_range(0, 3600, 0.1, or_greater=True, suffix="s"),
        doc="The duration to wait in seconds before a request times out. If "
        "[member timeout] is [code]0.0[/code], the request never times out.",
    )

    def __init__(self) -> None:
        super().__init__()
        self._env = py_http_client.godot_environment()
        self._session = Session(_client_mod.HTTPClient(self._env))
        self._settings = Settings()
        self._use_threads = False
        self._download_file = ""
        self._tls_source: object = None  # the Godot TLSOptions given, if any
        self._tls: _tls.TLSOptions | None = _tls.TLSOptions.client()  # its conversion (one object per setting)
        self._proxies = (("", -1), ("", -1))
        self._chunk_size = _client_mod.DEFAULT_READ_CHUNK_SIZE
        self._abandoned: threading.Thread | None = None  # a worker thread that outlived its cancel
        self._job: _Job | None = None  # the running request's _Job
        self._delivering: Completion | None = None  # a completion waiting for call_deferred
        self._downloaded = 0
        self._body_size = -1
        self._reported = (-1, -1)  # the last request_progress values
        self._frames = _WorkClock()  # the node's work per frame for the current request
        self._steps = _WorkClock()  # the worker's steps of the current request

    # ------------------------------------------------------------------ requests
    @method
    def request(
        self,
        url: str,
        custom_headers: PackedStringArray = _NO_HEADERS,
        method: _Method = 0,
        request_data: str = "",
    ) -> _Error:
        """Creates a request on the underlying [PyHTTPClient]'s core. If there is no
        configuration error, it tries to connect and sends the request; when it completes,
        [signal request_completed] is emitted. [param request_data] is sent UTF-8 encoded.
        Returns [constant OK] when the request started, [constant ERR_BUSY] while another one
        runs, [constant ERR_UNCONFIGURED] outside the tree, [constant ERR_INVALID_PARAMETER]
        for a URL that is not http(s), [constant ERR_CANT_CONNECT] when the host is unusable."""
        body = request_data.encode("utf-8", "surrogatepass") if isinstance(request_data, str) else b""
        return self._start(url, custom_headers, method, body)

    @method
    def request_raw(
        self,
        url: str,
        custom_headers: PackedStringArray = _NO_HEADERS,
        method: _Method = 0,
        request_data_raw: bytes = b"",
    ) -> _Error:
        """Like [method request], with a raw [param request_data_raw] body sent as it is."""
        return self._start(url, custom_headers, method, bytes(request_data_raw))

    def _start(self, url: str, custom_headers: Iterable[str], method_: int, body: bytes) -> int:
        if not self.is_inside_tree():
            _report_error('Condition "!is_inside_tree()" is true. Returning: ERR_UNCONFIGURED')
            return ERR_UNCONFIGURED
        if self._job is not None or self._delivering is not None:
            _report_error(
                "HTTPRequest is processing a request. Wait for completion or cancel it before attempting a new one."
            )
            return ERR_BUSY
        try:
            target = parse_url(url)
        except URLError as exc:
            _report_error(str(exc))
            return exc.code
        headers = [str(h) for h in custom_headers]
        settings = Settings(
            self._settings.accept_gzip,
            self._settings.body_size_limit,
            self._settings.max_redirects,
            self._settings.timeout,
            self._globalized_download_path(),
            _godot.ByteBuffer,  # the body grows in PackedByteArray memory: no copy at the end
        )
        if self._job is None and self._session_busy():
            self._session = Session(_client_mod.HTTPClient(self._env))
            self._apply_client_settings()
        transfer = Transfer(
            self._session,
            int(method_),
            target,
            headers,
            body,
            settings,
            self._tls,
            proxy_key=self._proxies,
            report_warning=py_http_client._report_warning,
        )
        job = _Job(transfer)
        self._job = job
        self._frames = _WorkClock()
        self._steps = job.steps
        self._downloaded = 0
        self._body_size = -1
        self._reported = (-1, -1)
        # A download into a file always runs on a worker: the file's writer thread and a main
        # thread that reads the socket hand the GIL back and forth, and on a busy machine that
        # cost frames of 50-250 ms; on the worker the main thread only looks for the result.
        if self._use_threads or settings.download_path:
            job.start_thread(self)  # it tells the node through deferred calls
            return OK
        if transfer.start() != OK:
            job.completion = transfer.fail(_CoreResult.RESULT_CANT_CONNECT)
            self._deliver(job)
            return ERR_CANT_CONNECT
        self.set_process_internal(True)
        return OK

    def _session_busy(self) -> bool:
        """A worker that did not stop in time still owns the old session's client."""
        return self._abandoned is not None and self._abandoned.is_alive()

    def _globalized_download_path(self) -> str:
        path = self._download_file
        if not path:
            return ""
        return str(_godot.singleton("ProjectSettings").call("globalize_path", path))

    @method
    def cancel_request(self) -> None:
        """Cancels the current request. No [signal request_completed] follows, not even one
        that was already on its way."""
        self._delivering = None
        job = self._job
        if job is None:
            return
        self._job = None
        self.set_process_internal(False)
        self._stop(job)

    def _stop(self, job: _Job) -> None:
        job.quit.set()
        thread = job.thread
        if thread is not None and thread.is_alive():
            thread.join(JOIN_TIMEOUT)
            if thread.is_alive():  # still inside one step: let it finish on its own
                self._abandoned = thread
                job.transfer.report_warning = None
                return
        job.transfer.abort()

    # ------------------------------------------------------------------ frames and delivery
    def _notification(self, what: int) -> None:
        if what == NOTIFICATION_INTERNAL_PROCESS:
            self._on_frame()
        elif what == NOTIFICATION_EXIT_TREE:
            self.cancel_request()
        elif what == NOTIFICATION_PREDELETE:
            job, self._job = self._job, None
            if job is not None:
                self._stop(job)

    def _on_frame(self) -> None:
        job = self._job
        if job is None:
            self.set_process_internal(False)
            return
        wall, cpu = time.perf_counter(), time.thread_time()
        if job.thread is None and job.completion is None:
            job.completion = job.transfer.step(FRAME_BUDGET)
        transfer = job.transfer
        self._downloaded = transfer.downloaded
        self._body_size = transfer.body_size
        # The node's own work this frame (the progress handlers below are the caller's).
        self._frames.add(time.perf_counter() - wall, time.thread_time() - cpu)
        self._report_progress()
        if job.completion is not None:
            self._deliver(job)

    def _report_progress(self) -> None:
        values = (self._downloaded, self._body_size)
        if values != self._reported and self._downloaded > 0:
            self._reported = values
            self.request_progress.emit(*values)

    def _deliver(self, job: _Job) -> None:
        """Hand the completion to the main loop's deferred calls, as the built-in does."""
        self.set_process_internal(False)
        self._job = None
        self._delivering = job.completion
        if job.thread is not None:
            job.thread.join(JOIN_TIMEOUT)
        self.call_deferred("_request_done")

    @method
    def _request_done(self) -> None:
        completion, self._delivering = self._delivering, None
        if completion is None:
            job = self._job
            if job is None or job.thread is None or job.completion is None:
                return  # cancelled after it was queued (or a finished worker's duplicate)
            # A worker's transfer ended (it queued this call).
            self._job = None
            job.thread.join(JOIN_TIMEOUT)
            self._downloaded = job.transfer.downloaded
            self._body_size = job.transfer.body_size
            self._reported = job.reported
            completion = job.completion
        self._report_progress()
        self.request_completed.emit(
            completion.result, completion.response_code, PackedStringArray(completion.headers), completion.body
        )

    # ------------------------------------------------------------------ state
    @method(const=True)
    def get_frame_work(self) -> dict[str, int]:
        """[b]Extra (not in [HTTPRequest]).[/b] How long this node's own code ran for the
        current (or last) request: [code]frame_*[/code] for its work in each frame on the main
        thread, [code]step_*[/code] for each step of its worker thread (with
        [member use_threads], and for every [member download_file] download). Per kind:
        [code]count[/code], [code]longest_usec[/code] (wall clock, which the OS stretches when
        it gives the CPU to another process), [code]longest_cpu_usec[/code] (the thread's CPU
        time: the work itself), [code]over_limit[/code] (how many took more CPU time than
        [code]limit_usec[/code]: the frame budget plus one unit of work) and
        [code]cpu_usec[/code] (the total). [code]budget_usec[/code] is the work a frame starts."""
        out: dict[str, int] = {"budget_usec": round(FRAME_BUDGET * 1e6), "limit_usec": round(FRAME_WORK_LIMIT * 1e6)}
        out.update(self._frames.as_dict("frame_"))
        out.update(self._steps.as_dict("step_"))
        return out

    @method(const=True)
    def get_http_client_status(self) -> _Status:
        """The status of the connection of the running request ([constant HTTPClient.STATUS_DISCONNECTED]
        when no request runs, also while a connection is kept for the next request)."""
        job = self._job
        if job is None:
            return STATUS_DISCONNECTED
        return job.transfer.status()

    @method(const=True)
    def get_downloaded_bytes(self) -> int:
        """The number of body bytes received so far for the current (or last) request, before decoding."""
        job = self._job
        return job.transfer.downloaded if job is not None else self._downloaded

    @method(const=True)
    def get_body_size(self) -> int:
        """The response body length from [code]Content-Length[/code], or [code]-1[/code] when
        unknown (chunked, read until close, or no response yet). Also known after the request
        completed."""
        job = self._job
        return job.transfer.body_size if job is not None else self._body_size

    def _idle_or_error(self) -> bool:
        if self._job is None:
            return True
        _report_error('Condition "get_http_client_status() != HTTPClient::STATUS_DISCONNECTED" is true.')
        return False

    # ------------------------------------------------------------------ properties
    @method
    def set_download_file(self, path: str) -> None:
        """Sets [member download_file]."""
        if self._idle_or_error():
            self._download_file = path

    @method(const=True)
    def get_download_file(self) -> str:
        """Returns [member download_file]."""
        return self._download_file

    @method
    def set_download_chunk_size(self, chunk_size: int) -> None:
        """Sets [member download_chunk_size] (256 to 16777216)."""
        if self._idle_or_error():
            self._session.client.set_read_chunk_size(chunk_size)
            self._chunk_size = self._session.client.get_read_chunk_size()

    @method(const=True)
    def get_download_chunk_size(self) -> int:
        """Returns [member download_chunk_size]."""
        return self._session.client.get_read_chunk_size()

    @method
    def set_use_threads(self, enable: bool) -> None:
        """Sets [member use_threads]."""
        if self._idle_or_error():
            self._use_threads = bool(enable)

    @method(const=True)
    def is_using_threads(self) -> bool:
        """Returns [member use_threads]."""
        return self._use_threads

    @method
    def set_accept_gzip(self, enable: bool) -> None:
        """Sets [member accept_gzip]."""
        self._settings.accept_gzip = bool(enable)

    @method(const=True)
    def is_accepting_gzip(self) -> bool:
        """Returns [member accept_gzip]."""
        return self._settings.accept_gzip

    @method
    def set_body_size_limit(self, bytes: int) -> None:
        """Sets [member body_size_limit]."""
        if self._idle_or_error():
            self._settings.body_size_limit = int(bytes)

    @method(const=True)
    def get_body_size_limit(self) -> int:
        """Returns [member body_size_limit]."""
        return self._settings.body_size_limit

    @method
    def set_max_redirects(self, amount: int) -> None:
        """Sets [member max_redirects]."""
        self._settings.max_redirects = int(amount)

    @method(const=True)
    def get_max_redirects(self) -> int:
        """Returns [member max_redirects]."""
        return self._settings.max_redirects

    @method
    def set_timeout(self, timeout: float) -> None:
        """Sets [member timeout] (seconds, not negative)."""
        if timeout < 0:
            _report_error('Condition "p_timeout < 0" is true.')
            return
        self._settings.timeout = float(timeout)

    @method
    def get_timeout(self) -> float:
        """Returns [member timeout]."""
        return self._settings.timeout

    @method
    def set_tls_options(self, client_options: godot.TLSOptions) -> None:
        """Sets the [TLSOptions] used for HTTPS requests (a client configuration; the
        default is [method TLSOptions.client])."""
        if client_options is None or client_options.call("is_server"):
            _report_error('Condition "p_options.is_null() || p_options->is_server()" is true.')
            return
        self._tls_source = client_options
        self._tls = py_http_client.convert_tls_options(client_options)

    @method
    def set_http_proxy(self, host: str, port: int) -> None:
        """Sets the proxy server for HTTP requests (an empty [param host] or a [param port] of
        [code]-1[/code] unsets it)."""
        self._proxies = ((host, port), self._proxies[1])
        self._apply_client_settings()

    @method
    def set_https_proxy(self, host: str, port: int) -> None:
        """Sets the proxy server for HTTPS requests (an empty [param host] or a [param port] of
        [code]-1[/code] unsets it)."""
        self._proxies = (self._proxies[0], (host, port))
        self._apply_client_settings()

    def _apply_client_settings(self) -> None:
        client = self._session.client
        client.set_read_chunk_size(self._chunk_size)
        client.set_http_proxy(*self._proxies[0])
        client.set_https_proxy(*self._proxies[1])

    # ------------------------------------------------------------------ extras (not in HTTPRequest)
    @method
    def set_tls_public_key_pins(self, pins: PackedStringArray) -> _Error:
        """[b]Extra (not in [HTTPRequest]).[/b] Pins the HTTPS server's public key, as
        [method PyHTTPClient.set_tls_public_key_pins]: a mismatch gives
        [constant RESULT_TLS_HANDSHAKE_ERROR]. Applies from the next connection (a kept one is
        closed)."""
        if not self._idle_or_error():
            return ERR_BUSY
        error = self._session.client.set_tls_public_key_pins(list(pins))
        self._session.close()
        return error

    @method
    def set_tls_crls(self, crls: str) -> _Error:
        """[b]Extra (not in [HTTPRequest]).[/b] Certificate revocation lists (PEM) checked in
        every HTTPS handshake, as [method PyHTTPClient.set_tls_crls]: a revoked certificate
        gives [constant RESULT_TLS_HANDSHAKE_ERROR]. An empty String turns checking off.
        Applies from the next connection (a kept one is closed)."""
        if not self._idle_or_error():
            return ERR_BUSY
        error = self._session.client.set_tls_crls(crls)
        self._session.close()
        return error

    @method(const=True)
    def get_connection_count(self) -> int:
        """[b]Extra (not in [HTTPRequest]).[/b] How many connections this node has opened
        (a request reusing the kept connection opens none)."""
        return self._session.connections
