# TLS through PyHTTPClient with a test CA (conftest.py): Godot TLSOptions map onto the core
# like the built-in (chain, common-name override, unsafe), plus public-key pinning and
# certificate revocation (set_tls_crls with CRLs the conftest signs with the test CA).
# timeout: 180
# expect-error: TLS handshake error
# expect-error: tls_options->is_server()
# expect-error: Invalid public key pin
# expect-error: Invalid CRLs
extends TestSuite

const Tutorial := preload("res://suites/http/tutorial_client.gd")

var port := 0
var ca: X509Certificate
var other_ca: X509Certificate


func before_all() -> void:
	port = Tutorial.env_port("PYHTTP_TLS_PORT")
	if port > 0:
		ca = X509Certificate.new()
		ca.load(OS.get_environment("PYHTTP_CA_FILE"))
		other_ca = X509Certificate.new()
		other_ca.load(OS.get_environment("PYHTTP_OTHER_CA_FILE"))


func _compare(host: String, options: TLSOptions, paths: Array, blocking: bool) -> PackedStringArray:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set: run this suite through pytest"):
		return PackedStringArray()
	var builtin := Tutorial.fetch(HTTPClient.new(), host, port, options, paths, blocking)
	var ours := Tutorial.fetch(ClassDB.instantiate("PyHTTPClient"), host, port, options, paths, blocking)
	builtin[-1] = builtin[-1].get_slice("connection=", 0)
	ours[-1] = ours[-1].get_slice("connection=", 0)
	# How many polls the handshake takes and how many reads a TLS body takes depend on
	# timing and on the TLS library (mbedTLS vs OpenSSL): compare outcomes, not the counts.
	for log in [builtin, ours]:
		for i in log.size():
			if log[i].begins_with("connecting: "):
				var steps: PackedStringArray = log[i].trim_prefix("connecting: ").split(",")
				log[i] = "connecting ends: " + ",".join(steps.slice(-2))
			elif log[i].begins_with("body: "):
				log[i] = log[i].get_slice("; statuses", 0)
	assert_eq(Tutorial.first_difference(builtin, ours), "", "\n".join(builtin))
	return builtin


func test_client_with_the_test_ca_non_blocking() -> void:
	var log := _compare("localhost", TLSOptions.client(ca), ["/text?n=50000", "/chunked?n=3000", "/echo"], false)
	assert_true("code=200 has_response=true chunked=false length=50000" in log, "\n".join(log))


func test_client_with_the_test_ca_blocking() -> void:
	_compare("localhost", TLSOptions.client(ca), ["/text?n=70000", "/echo"], true)


func test_https_prefix_keeps_the_callers_options() -> void:
	_compare("https://localhost", TLSOptions.client(ca), ["/text?n=10"], false)


func test_common_name_override_for_an_ip_host() -> void:
	var log := _compare("127.0.0.1", TLSOptions.client(ca, "localhost"), ["/echo"], false)
	assert_true("connecting ends: 3/poll=0,5" in log, "\n".join(log))


func test_name_mismatch_fails_the_handshake() -> void:
	# The certificate names only "localhost".
	var log := _compare("127.0.0.1", TLSOptions.client(ca), [], false)
	assert_true(log[1].ends_with(",9"), "\n".join(log))


func test_untrusted_chain_fails_the_handshake() -> void:
	var log := _compare("localhost", TLSOptions.client(other_ca), [], false)
	assert_true(log[1].ends_with(",9"), "\n".join(log))


func test_unsafe_client_without_chain_connects() -> void:
	_compare("127.0.0.1", TLSOptions.client_unsafe(), ["/text?n=100"], false)


func test_unsafe_client_with_the_wrong_chain_fails() -> void:
	var log := _compare("127.0.0.1", TLSOptions.client_unsafe(other_ca), [], false)
	assert_true(log[1].ends_with(",9"), "\n".join(log))


func test_server_options_are_refused() -> void:
	var key := Crypto.new().generate_rsa(2048)
	var cert := Crypto.new().generate_self_signed_certificate(key, "CN=localhost")
	for http in [HTTPClient.new(), ClassDB.instantiate("PyHTTPClient")]:
		assert_eq(http.connect_to_host("localhost", port, TLSOptions.server(key, cert)), ERR_INVALID_PARAMETER)
		assert_eq(http.get_status(), HTTPClient.STATUS_DISCONNECTED)


func _pinned(pins: PackedStringArray) -> PackedStringArray:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	assert_eq(http.set_tls_public_key_pins(pins), OK)
	assert_eq(http.get_tls_public_key_pins(), pins)
	return Tutorial.fetch(http, "localhost", port, TLSOptions.client(ca), ["/text?n=10"], false)


func test_public_key_pin_match_connects() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var log := _pinned(
		PackedStringArray(["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", OS.get_environment("PYHTTP_TLS_PIN")])
	)
	assert_true(log[1].ends_with("3/poll=0,5"), "\n".join(log))


func test_public_key_pin_mismatch_is_a_handshake_error() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var log := _pinned(PackedStringArray(["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]))
	assert_true(log[1].ends_with(",9"), "\n".join(log))


func test_malformed_pin_is_refused() -> void:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	assert_eq(http.set_tls_public_key_pins(PackedStringArray(["not base64!"])), ERR_INVALID_PARAMETER)
	assert_eq(http.get_tls_public_key_pins(), PackedStringArray())


## Collects the engine's error messages while a revocation test runs.
class Errors:
	extends Logger
	var mutex := Mutex.new()
	var seen := PackedStringArray()

	func _log_error(
		_function: String,
		_file: String,
		_line: int,
		code: String,
		rationale: String,
		_editor_notify: bool,
		error_type: int,
		_script_backtraces: Array[ScriptBacktrace]
	) -> void:
		if error_type == ERROR_TYPE_SCRIPT:
			return
		mutex.lock()
		seen.append(rationale if not rationale.is_empty() else code)
		mutex.unlock()


## Fetches /text?n=10 over TLS with the CRL file named by [param env] (empty: no CRLs);
## returns [status reached, the error messages printed meanwhile].
func _with_crl(env: String) -> Array:
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	var pem := "" if env.is_empty() else FileAccess.get_file_as_string(OS.get_environment(env))
	assert_eq(http.set_tls_crls(pem), OK)
	assert_eq(http.get_tls_crls(), pem)
	var errors := Errors.new()
	OS.add_logger(errors)
	var log := Tutorial.fetch(http, "localhost", port, TLSOptions.client(ca), ["/text?n=10"], false)
	OS.remove_logger(errors)
	return [log[1].get_slice(",", log[1].get_slice_count(",") - 1), "\n".join(errors.seen)]


func test_crl_of_the_ca_without_the_server_connects() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var got := _with_crl("PYHTTP_CRL_CLEAN")
	assert_eq(got[0], "5", got[1])
	assert_eq(got[1], "")


func test_revoked_server_certificate_is_a_handshake_error_naming_the_revocation() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var got := _with_crl("PYHTTP_CRL_REVOKED")
	assert_eq(got[0], str(HTTPClient.STATUS_TLS_HANDSHAKE_ERROR))
	assert_true("is revoked by its issuer's CRL" in got[1], got[1])


func test_expired_crl_is_a_handshake_error_saying_so() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var got := _with_crl("PYHTTP_CRL_EXPIRED")
	assert_eq(got[0], str(HTTPClient.STATUS_TLS_HANDSHAKE_ERROR))
	assert_true("has expired" in got[1], got[1])


func test_crl_of_another_ca_does_not_count() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var got := _with_crl("PYHTTP_CRL_OTHER_CA")
	assert_eq(got[0], str(HTTPClient.STATUS_TLS_HANDSHAKE_ERROR))
	assert_true("no CRL from the issuer" in got[1], got[1])


func test_no_crls_connects_and_unreadable_crls_are_refused() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var got := _with_crl("")
	assert_eq(got[0], "5", got[1])
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	assert_eq(http.set_tls_crls("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n"), ERR_INVALID_PARAMETER)
	assert_eq(http.get_tls_crls(), "")


func _tls_connected(http: Object) -> bool:
	http.connect_to_host("localhost", port, TLSOptions.client(ca))
	var until := Time.get_ticks_msec() + 5000
	while (
		http.get_status() in [HTTPClient.STATUS_RESOLVING, HTTPClient.STATUS_CONNECTING]
		and Time.get_ticks_msec() < until
	):
		http.poll()
		OS.delay_msec(1)
	return assert_eq(http.get_status(), HTTPClient.STATUS_CONNECTED, http.get_class())


func _has_head_and_3_bytes(b: PackedByteArray) -> bool:
	var end := b.get_string_from_ascii().find("\r\n\r\n")
	return end >= 0 and b.size() >= end + 7


## Reads through [param conn] (a StreamPeerTLS is polled first) until [param done] says so.
func _read_through(conn: StreamPeer, done: Callable) -> PackedByteArray:
	var got := PackedByteArray()
	var deadline := Time.get_ticks_msec() + 5000
	while not done.call(got) and Time.get_ticks_msec() < deadline:
		if conn is StreamPeerTLS:
			conn.poll()
		var piece: Array = conn.get_partial_data(4096)
		got.append_array(piece[1])
		if piece[1].is_empty():
			OS.delay_msec(1)
	return got


## Over TLS get_connection() is the engine's StreamPeerTLS, for both classes (decision 0013):
## the same object across calls, set_connection() of it a no-op, and reading through it shows
## the same bytes: a raw exchange, and a body after the client has read the response head
## (the client leaves the body in the stream, as the built-in does).
func _tls_connection(http: Object) -> Array:
	if not _tls_connected(http):
		return []
	var conn = http.get_connection()
	var out := [conn is StreamPeerTLS, conn.get_class(), conn.get_status(), conn.get_stream() is StreamPeerTCP]
	out.append(http.get_connection() == conn)
	http.set_connection(conn)
	out.append(http.get_status())
	conn.put_data("GET /text?n=3 HTTP/1.1\r\nHost: localhost\r\n\r\n".to_utf8_buffer())
	var raw := _read_through(conn, _has_head_and_3_bytes)
	out.append(raw.get_string_from_ascii().get_slice("\r\n\r\n", 0))
	out.append(raw.slice(raw.size() - 3))
	# A response head read by the client, its body read through the connection.
	http.request(HTTPClient.METHOD_GET, "/text?n=20000", [])
	var until := Time.get_ticks_msec() + 5000
	while http.get_status() == HTTPClient.STATUS_REQUESTING and Time.get_ticks_msec() < until:
		http.poll()
		OS.delay_msec(1)
	out.append([http.get_status(), http.get_response_code(), http.get_response_body_length()])
	var body := _read_through(conn, func(b: PackedByteArray) -> bool: return b.size() >= 20000)
	out.append([body.size(), body.slice(0, 4), body.slice(19996)])
	out.append(http.get_connection() == conn)
	http.close()
	out.append(http.get_connection())
	return out


func test_get_connection_over_tls_is_the_engines_stream_peer_tls() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var builtin := _tls_connection(HTTPClient.new())
	var ours := _tls_connection(ClassDB.instantiate("PyHTTPClient"))
	assert_eq(ours, builtin)
	assert_eq(builtin.slice(0, 6), [true, "StreamPeerTLS", StreamPeerTLS.STATUS_CONNECTED, true, true, 5])
	assert_eq(builtin[7], PackedByteArray([0, 1, 2]), "the raw response's body")
	assert_eq(builtin[9], [20000, PackedByteArray([0, 1, 2, 3]), PackedByteArray([167, 168, 169, 170])])


## With pinning or CRLs (extras that need OpenSSL) the TLS session is OpenSSL's and
## get_connection() is a PyStreamPeer over it, which reads like a StreamPeerTLS
## (docs/http-differences.md, "get_connection() over TLS with pins or CRLs").
func test_get_connection_with_pins_is_a_py_stream_peer() -> void:
	if not assert_true(port > 0, "PYHTTP_TLS_PORT is not set"):
		return
	var http: Object = ClassDB.instantiate("PyHTTPClient")
	assert_eq(http.set_tls_public_key_pins(PackedStringArray([OS.get_environment("PYHTTP_TLS_PIN")])), OK)
	if not _tls_connected(http):
		return
	var conn = http.get_connection()
	assert_eq([conn is StreamPeerTLS, conn is StreamPeer, conn.get_class()], [false, true, "PyStreamPeer"])
	conn.put_data("GET /text?n=3 HTTP/1.1\r\nHost: localhost\r\n\r\n".to_utf8_buffer())
	var raw := _read_through(conn, _has_head_and_3_bytes)
	assert_true(raw.get_string_from_ascii().begins_with("HTTP/1.1 200 OK"), raw.get_string_from_ascii())
	http.close()
