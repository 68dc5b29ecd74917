## One HTTP request through PyHTTPClient, the built-in HTTPClient or a PyHTTPRequest node,
## stepped once per frame.
##
## The demo's whole HTTP logic: the UI (main.gd) and the headless demo (headless_demo.gd)
## both drive it the same way. Call [method start], then [method step] once per frame
## (from _process or after [code]await get_tree().process_frame[/code]) until it returns
## false. Nothing here blocks: each step polls the client once and reads what has arrived,
## at most [member read_budget_usec] of work. The signals report progress as it happens.
class_name HttpFetch
extends RefCounted

## The client's status changed; [param name] is e.g. "STATUS_CONNECTING".
signal status_changed(status: int, name: String)
## Body bytes arrived: [param total] is the Content-Length, or -1 (chunked or unknown).
signal progress(received: int, total: int, bytes_per_second: float)
## The request ended, with or without an error (see [member error]).
signal finished

const STATUS_NAMES := [
	"STATUS_DISCONNECTED",
	"STATUS_RESOLVING",
	"STATUS_CANT_RESOLVE",
	"STATUS_CONNECTING",
	"STATUS_CANT_CONNECT",
	"STATUS_CONNECTED",
	"STATUS_REQUESTING",
	"STATUS_BODY",
	"STATUS_CONNECTION_ERROR",
	"STATUS_TLS_HANDSHAKE_ERROR",
]
const METHOD_NAMES := ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH"]
## HTTPRequest.Result values in words (the node reports them, not statuses).
const NODE_RESULTS := [
	"",
	"chunked body size mismatch",
	"cannot connect (nothing listens there, or it is unreachable)",
	"cannot resolve the host name",
	"the connection broke (or the reply is not HTTP)",
	"TLS handshake failed: the certificate is not trusted or does not match the name",
	"no response",
	"the body is larger than body_size_limit",
	"the body could not be decompressed",
	"the request failed",
	"cannot open the download file",
	"cannot write the download file",
	"too many redirects",
	"timed out",
]
## Bytes of body kept for the preview; the rest is counted, not stored.
const KEEP_BODY_BYTES := 64 * 1024

## true: PyHTTPClient (Python); false: Godot's built-in HTTPClient.
var use_python := true
## true: a PyHTTPRequest node does the whole request (added under [member node_parent]);
## its [code]request_progress[/code] signal drives [signal progress]. [member use_python] is
## then ignored.
var use_node := false
## Where the PyHTTPRequest node lives while the request runs (it must be in the tree).
var node_parent: Node
## Work per step while reading a body, in microseconds (keeps frames smooth).
var read_budget_usec := 4000
## Give up after this many seconds without finishing.
var timeout_sec := 30.0

# Results, filled in while the request runs.
var client_name := ""
var url := ""
var method_name := "GET"
var statuses: PackedStringArray = []  ## every status seen, in order
var response_code := 0
var response_headers: PackedStringArray = []
var body := PackedByteArray()  ## the first KEEP_BODY_BYTES of the body
var received := 0  ## body bytes received
var total := -1  ## Content-Length, or -1
var chunked := false
var error := ""  ## what went wrong, in words; "" if nothing
var elapsed_sec := 0.0
var body_sec := 0.0  ## time spent receiving the body
var done := false

var _client  # HTTPClient or PyHTTPClient: same methods, so left untyped
var _host := ""
var _port := -1
var _path := "/"
var _tls := false
var _tls_options: TLSOptions
var _headers: PackedStringArray = []
var _request_body := ""
var _method := HTTPClient.METHOD_GET
var _requested := false
var _last_status := -1
var _started_usec := 0
var _body_started_usec := 0


## Starts a request. [param trusted_ca] (optional) is the only CA trusted for https URLs;
## without it the default bundle is used. Returns OK or the error that stopped it
## (then [member error] says why and [signal finished] was emitted).
func start(
	p_url: String,
	p_method: String = "GET",
	headers: PackedStringArray = [],
	request_body: String = "",
	trusted_ca: X509Certificate = null
) -> Error:
	url = p_url.strip_edges()
	method_name = p_method.to_upper()
	_headers = headers
	_request_body = request_body
	_started_usec = Time.get_ticks_usec()
	if use_node:
		return _start_node(trusted_ca)
	_client = PyHTTPClient.new() if use_python else HTTPClient.new()
	client_name = "PyHTTPClient" if use_python else "HTTPClient"
	_client.read_chunk_size = 256 * 1024
	var idx := METHOD_NAMES.find(method_name)
	if idx < 0:
		return _fail(ERR_INVALID_PARAMETER, "unknown method '%s'" % method_name)
	_method = idx
	var parse_error := _parse_url(url)
	if parse_error != "":
		return _fail(ERR_INVALID_PARAMETER, parse_error)
	if _tls:
		_tls_options = TLSOptions.client(trusted_ca) if trusted_ca else TLSOptions.client()
	var err: Error = _client.connect_to_host(_host, _port, _tls_options)
	if err != OK:
		return _fail(err, "cannot start connecting to %s:%d (%s)" % [_host, _port, error_string(err)])
	_note_status()
	return OK


## Polls once and reads what arrived. Returns true while the request is still running.
func step() -> bool:
	if done:
		return false
	elapsed_sec = (Time.get_ticks_usec() - _started_usec) / 1e6
	if elapsed_sec > timeout_sec:
		_fail(ERR_TIMEOUT, "no answer within %d s (stopped waiting)" % timeout_sec)
		return false
	if use_node:  # the node works on its own; its signals fill in the results
		_note_status()
		return not done
	_client.poll()
	var status: int = _note_status()
	match status:
		HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING, HTTPClient.STATUS_REQUESTING:
			pass
		HTTPClient.STATUS_CONNECTED:
			if _requested:  # a response without a body (HEAD, 204, 304) ends here
				_read_head()
				_finish()
			else:
				_send()
		HTTPClient.STATUS_BODY:
			_read_head()
			_read_body()
		HTTPClient.STATUS_DISCONNECTED:
			if _requested and response_code > 0:
				_finish()  # a close-delimited body ended
			else:
				_fail(ERR_CONNECTION_ERROR, "the connection closed before a response")
		HTTPClient.STATUS_CANT_RESOLVE:
			_fail(ERR_CANT_RESOLVE, "cannot resolve the host name '%s'" % _host)
		HTTPClient.STATUS_CANT_CONNECT:
			_fail(
				ERR_CANT_CONNECT,
				"cannot connect to %s port %d (nothing listens there, or it is unreachable)" % [_host, _port]
			)
		HTTPClient.STATUS_TLS_HANDSHAKE_ERROR:
			_fail(
				ERR_CONNECTION_ERROR,
				"TLS handshake failed: the certificate of '%s' is not trusted or does not match the name" % _host
			)
		HTTPClient.STATUS_CONNECTION_ERROR:
			if _requested and response_code > 0:
				_fail(ERR_CONNECTION_ERROR, "the connection broke after %d body bytes" % received)
			else:
				_fail(
					ERR_CONNECTION_ERROR,
					"connection error (the server closed the connection or sent something that is not HTTP)"
				)
	return not done


## Bytes per second over the body so far (0 before the body starts).
func bytes_per_second() -> float:
	return received / body_sec if body_sec > 0.0 else 0.0


## "text/html; charset=utf-8" or "".
func content_type() -> String:
	for line in response_headers:
		if line.to_lower().begins_with("content-type:"):
			return line.substr(13).strip_edges()
	return ""


## True when the body looks like text (by content type, else by its bytes).
func body_is_text() -> bool:
	var type := content_type().to_lower()
	if type.begins_with("text/") or "json" in type or "xml" in type or "javascript" in type:
		return true
	if type != "" and not type.begins_with("application/x-www-form"):
		return false
	for i in min(body.size(), 512):
		if body[i] == 0:
			return false
	return true


## The body for people: text as text, binary as a hex dump; at most [param max_bytes].
func body_preview(max_bytes: int = 2048) -> String:
	var part := body.slice(0, max_bytes)
	var more := "\n... (%s more)" % human_bytes(received - part.size()) if received > part.size() else ""
	if body_is_text():
		return part.get_string_from_utf8() + more
	return hex_dump(part) + more


static func hex_dump(data: PackedByteArray, width: int = 16) -> String:
	var lines := PackedStringArray()
	for offset in range(0, data.size(), width):
		var hex := PackedStringArray()
		var ascii := ""
		for b in data.slice(offset, offset + width):
			hex.append("%02X" % b)
			ascii += char(b) if b >= 32 and b < 127 else "."
		lines.append("%08x  %s  |%s|" % [offset, " ".join(hex).rpad(width * 3 - 1), ascii])
	return "\n".join(lines)


static func human_bytes(n: float) -> String:
	if n < 1024:
		return "%d B" % n
	if n < 1024 * 1024:
		return "%.1f KiB" % (n / 1024.0)
	if n < 1024 * 1024 * 1024:
		return "%.1f MiB" % (n / 1048576.0)
	return "%.2f GiB" % (n / 1073741824.0)


func _parse_url(text: String) -> String:
	var rest := text
	_tls = false
	if rest.begins_with("https://"):
		_tls = true
		rest = rest.substr(8)
	elif rest.begins_with("http://"):
		rest = rest.substr(7)
	elif "://" in rest:
		return "only http:// and https:// URLs are supported"
	var slash := rest.find("/")
	var authority := rest if slash < 0 else rest.substr(0, slash)
	_path = "/" if slash < 0 else rest.substr(slash)
	_port = 443 if _tls else 80
	_host = authority
	if authority.begins_with("["):  # [::1]:8080
		var close := authority.find("]")
		_host = authority.substr(1, close - 1)
		if authority.substr(close + 1).begins_with(":"):
			_port = authority.substr(close + 2).to_int()
	elif ":" in authority:
		_host = authority.get_slice(":", 0)
		_port = authority.get_slice(":", 1).to_int()
	if _host == "":
		return "the URL has no host name"
	if _port <= 0 or _port > 65535:
		return "the port in the URL is not valid"
	return ""


func _send() -> void:
	var headers := _headers.duplicate()
	var has_accept := false
	for h in headers:
		has_accept = has_accept or h.to_lower().begins_with("accept:")
	if not has_accept:
		headers.append("Accept: */*")
	var err: Error = _client.request(_method, _path, headers, _request_body)
	if err != OK:
		_fail(err, "the request could not be sent (%s)" % error_string(err))
		return
	_requested = true


func _read_head() -> void:
	if response_code != 0 or not _client.has_response():
		return
	response_code = _client.get_response_code()
	response_headers = _client.get_response_headers()
	chunked = _client.is_response_chunked()
	total = _client.get_response_body_length()
	_body_started_usec = Time.get_ticks_usec()


func _read_body() -> void:
	var deadline := Time.get_ticks_usec() + read_budget_usec
	while _client.get_status() == HTTPClient.STATUS_BODY:
		var chunk: PackedByteArray = _client.read_response_body_chunk()
		if chunk.is_empty():
			break
		if body.size() < KEEP_BODY_BYTES:
			body.append_array(chunk.slice(0, KEEP_BODY_BYTES - body.size()))
		received += chunk.size()
		if Time.get_ticks_usec() > deadline:
			break
	body_sec = (Time.get_ticks_usec() - _body_started_usec) / 1e6
	progress.emit(received, total, bytes_per_second())
	var status: int = _note_status()
	if status == HTTPClient.STATUS_CONNECTED or status == HTTPClient.STATUS_DISCONNECTED:
		_finish()


## PyHTTPRequest: the node parses the URL, follows redirects, decodes gzip and reports
## progress; this only wires its two signals to the fields above.
func _start_node(trusted_ca: X509Certificate) -> Error:
	client_name = "PyHTTPRequest (node)"
	var idx := METHOD_NAMES.find(method_name)
	if idx < 0:
		return _fail(ERR_INVALID_PARAMETER, "unknown method '%s'" % method_name)
	_method = idx
	var node: Node = PyHTTPRequest.new()
	node.download_chunk_size = 256 * 1024
	if trusted_ca:
		node.set_tls_options(TLSOptions.client(trusted_ca))
	node.request_progress.connect(_on_node_progress)
	node.request_completed.connect(_on_node_completed)
	node_parent.add_child(node)
	_client = node
	var err: Error = node.request(url, _headers, _method, _request_body)
	if err != OK:
		return _fail(err, "the request could not start (%s)" % error_string(err))
	_requested = true
	_note_status()
	return OK


func _on_node_progress(downloaded: int, body_size: int) -> void:
	if _body_started_usec == 0:  # the node does not say when the head arrived: count from the request
		_body_started_usec = _started_usec
	received = downloaded
	total = body_size
	body_sec = (Time.get_ticks_usec() - _body_started_usec) / 1e6
	progress.emit(received, total, bytes_per_second())


func _on_node_completed(result: int, code: int, headers: PackedStringArray, data: PackedByteArray) -> void:
	response_code = code
	response_headers = headers
	for line in headers:
		chunked = chunked or line.to_lower().replace(" ", "") == "transfer-encoding:chunked"
	body = data.slice(0, KEEP_BODY_BYTES)
	received = maxi(received, data.size())
	if _body_started_usec == 0:
		_body_started_usec = _started_usec
	if result != HTTPRequest.RESULT_SUCCESS:
		_fail(ERR_CONNECTION_ERROR, NODE_RESULTS[result] if result < NODE_RESULTS.size() else "result %d" % result)
	else:
		_finish()


func _note_status() -> int:
	var status: int = _client.get_http_client_status() if use_node else _client.get_status()
	if status != _last_status:
		_last_status = status
		var name: String = STATUS_NAMES[status] if status >= 0 and status < STATUS_NAMES.size() else str(status)
		statuses.append(name)
		status_changed.emit(status, name)
	return status


func _finish() -> void:
	if done:
		return
	done = true
	elapsed_sec = (Time.get_ticks_usec() - _started_usec) / 1e6
	if _body_started_usec:
		body_sec = (Time.get_ticks_usec() - _body_started_usec) / 1e6
	if use_node:
		if _client:
			_client.queue_free()
	elif _client:
		_client.close()
	finished.emit()


func _fail(err: Error, words: String) -> Error:
	error = words
	_finish()
	return err
