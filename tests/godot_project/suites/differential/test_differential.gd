# Differential suite: every scenario of scenarios.json runs against HTTPClient and PyHTTPClient
# in this process, on the same scripted loopback servers (conftest.py); the traces
# (differential_driver.gd) must be identical, except scenarios naming a row of
# docs/http-differences.md in `expected_difference`: those must differ, and only in the
# trace fields the scenario lists. One test per scenario (test_<name>).
# timeout: 150
# expect-errors
extends TestSuite

const Driver := preload("res://suites/differential/differential_driver.gd")
const Traces := preload("res://suites/traces.gd")

var driver: Driver
var scenarios := {}
var docs := ""
var identical := PackedStringArray()
var documented := PackedStringArray()


func before_all() -> void:
	driver = Driver.new()
	for sc in Driver.load_scenarios():
		scenarios[sc["name"]] = sc
	if OS.has_environment("DIFF_DOCS"):
		docs = FileAccess.get_file_as_string(OS.get_environment("DIFF_DOCS"))


func after_all() -> void:
	var line := (
		"differential: %d scenarios identical, %d documented differences (%s)"
		% [identical.size(), documented.size(), ", ".join(documented)]
	)
	print(line)
	if OS.has_environment("DIFF_SUMMARY"):
		var f := FileAccess.open(OS.get_environment("DIFF_SUMMARY"), FileAccess.WRITE)
		if f != null:
			f.store_line(line)


func _scenario(name: String) -> void:
	if not assert_true(driver.ready(), "DIFF_PORT is not set: run this suite through pytest"):
		return
	if not assert_true(scenarios.has(name), "no scenario %s in scenarios.json" % name):
		return
	var sc: Dictionary = scenarios[name]
	var builtin := driver.run(sc, HTTPClient.new())
	var ours := driver.run(sc, ClassDB.instantiate("PyHTTPClient"))
	var keys := Traces.differing_keys(builtin, ours)
	var shown := (
		"%s\n--- HTTPClient ---\n%s\n--- PyHTTPClient ---\n%s"
		% [
			Traces.first_difference(builtin, ours, "HTTPClient", "PyHTTPClient"),
			Traces.as_text(builtin),
			Traces.as_text(ours)
		]
	)
	var verdict := Traces.verdict(keys, sc.get("expected_difference"), docs)
	if assert_true(verdict in [Traces.IDENTICAL, Traces.DOCUMENTED], "%s: %s; %s" % [name, verdict, shown]):
		if verdict == Traces.IDENTICAL:
			identical.append(name)
		else:
			documented.append(name)


func test_scenario_table_matches_tests() -> void:
	var tests := PackedStringArray()
	for m in get_method_list():
		if m["name"].begins_with("test_") and m["name"] != "test_scenario_table_matches_tests":
			tests.append(m["name"].trim_prefix("test_"))
	var missing := PackedStringArray()
	for name in scenarios:
		if not name in tests:
			missing.append(name)
	var extra := PackedStringArray()
	for name in tests:
		if not scenarios.has(name):
			extra.append(name)
	assert_eq(missing, PackedStringArray(), "scenarios without a test_<name> function")
	assert_eq(extra, PackedStringArray(), "test functions without a scenario")
	assert_true(scenarios.size() >= 40, "at least 40 scenarios")


## '' is shorter than HOST_MIN_LEN
func test_connect_empty_host() -> void:
	_scenario("connect_empty_host")


## 'abc' is shorter than 4
func test_connect_short_host() -> void:
	_scenario("connect_short_host")


## length measured after the prefix
func test_connect_http_prefix_short() -> void:
	_scenario("connect_http_prefix_short")


## length measured after the prefix
func test_connect_https_prefix_short() -> void:
	_scenario("connect_https_prefix_short")


## '::1' is 3 characters: the built-in refuses it; an IPv6 literal here
func test_connect_ipv6_three_chars() -> void:
	_scenario("connect_ipv6_three_chars")


## server-mode TLSOptions refused
func test_connect_server_tls_options() -> void:
	_scenario("connect_server_tls_options")


## refused connection: CANT_CONNECT
func test_connect_closed_port() -> void:
	_scenario("connect_closed_port")


## unknown name: CANT_RESOLVE
func test_connect_cant_resolve() -> void:
	_scenario("connect_cant_resolve")


## '127.0.0.1:port' is a hostname to the resolver
func test_connect_host_with_port_suffix() -> void:
	_scenario("connect_host_with_port_suffix")


## hostname via /etc/hosts, every address tried in order
func test_connect_localhost_resolves() -> void:
	_scenario("connect_localhost_resolves")


## http:// forces plain HTTP even with TLS options
func test_connect_http_prefix_drops_tls() -> void:
	_scenario("connect_http_prefix_drops_tls")


## IPv6 loopback written long; unbracketed in Host
func test_connect_ipv6_literal() -> void:
	_scenario("connect_ipv6_literal")


## any negative port becomes 80 (nothing listens there)
func test_connect_negative_port_means_80() -> void:
	_scenario("connect_negative_port_means_80")


## a hostname's port is checked only after resolution
func test_connect_port_out_of_range() -> void:
	_scenario("connect_port_out_of_range")


## connect_to_host closes the previous connection
func test_connect_twice_drops_first() -> void:
	_scenario("connect_twice_drops_first")


## plain GET, Content-Length body
func test_get_content_length() -> void:
	_scenario("get_content_length")


## HEAD: length 0, first read [] then CONNECTED
func test_head_request() -> void:
	_scenario("head_request")


## request() body is UTF-8: Content-Length counts bytes
func test_post_utf8_string_body() -> void:
	_scenario("post_utf8_string_body")


## request_raw sends bytes as they are
func test_put_raw_body() -> void:
	_scenario("put_raw_body")


## the body is sent for GET too
func test_get_with_body() -> void:
	_scenario("get_with_body")


## caller headers suppress Host, Content-Length, User-Agent, Accept (case-insensitive prefix)
func test_header_suppression() -> void:
	_scenario("header_suppression")


## a leading space or Accept-Encoding suppresses nothing
func test_header_no_suppression() -> void:
	_scenario("header_no_suppression")


## every method token on one connection
func test_all_methods_keep_alive() -> void:
	_scenario("all_methods_keep_alive")


## METHOD_MAX and -1 refused, the connection still usable
func test_invalid_method() -> void:
	_scenario("invalid_method")


## URL rules per method
func test_invalid_urls() -> void:
	_scenario("invalid_urls")


## empty or colon-less header entries refused by index
func test_invalid_headers() -> void:
	_scenario("invalid_headers")


## request() on a fresh client
func test_request_without_connect() -> void:
	_scenario("request_without_connect")


## a second request() before the response
func test_request_while_requesting() -> void:
	_scenario("request_while_requesting")


## request() in BODY is refused until the body is read
func test_request_during_body() -> void:
	_scenario("request_during_body")


## non-ASCII in the URL is raw UTF-8
func test_non_ascii_url() -> void:
	_scenario("non_ascii_url")


## CL 0: first read [] then CONNECTED
func test_content_length_zero() -> void:
	_scenario("content_length_zero")


## spec example: 5:BODY, 6:BODY, 0:BODY, 0:CONNECTED
func test_chunked_with_trailers() -> void:
	_scenario("chunked_with_trailers")


## upper and lower case hex sizes
func test_chunked_hex_case() -> void:
	_scenario("chunked_hex_case")


## both: chunked decoding wins, length reports CL
func test_chunked_and_content_length() -> void:
	_scenario("chunked_and_content_length")


## Connection: close, no length: read until EOF, DISCONNECTED, code 0
func test_close_delimited() -> void:
	_scenario("close_delimited")


## CONNECTION: CLOSE is detected
func test_close_delimited_upper_case() -> void:
	_scenario("close_delimited_upper_case")


## poll() before each read; FIN after the data
func test_close_delimited_poll_between_reads() -> void:
	_scenario("close_delimited_poll_between_reads")


## CL + Connection: close: CONNECTED, then the next poll sees the FIN
func test_content_length_with_close() -> void:
	_scenario("content_length_with_close")


## no header lines: has_response false, CONNECTED
func test_status_only_204() -> void:
	_scenario("status_only_204")


## 304 without framing: CONNECTED
func test_not_modified_304() -> void:
	_scenario("not_modified_304")


## HTTP/1.0 status line with CL
func test_http10_response() -> void:
	_scenario("http10_response")


## 299, no reason phrase, unknown codes as they are; keep-alive reuse
func test_status_line_variants() -> void:
	_scenario("status_line_variants")


## a head terminated by bare LFs
func test_bare_lf_head() -> void:
	_scenario("bare_lf_head")


## GET, HEAD, chunked GET, POST on one connection
func test_keep_alive_reuse() -> void:
	_scenario("keep_alive_reuse")


## the FIN is noticed by poll in CONNECTED; no retry
func test_server_closed_between_requests() -> void:
	_scenario("server_closed_between_requests")


## EOF while REQUESTING: CONNECTION_ERROR
func test_server_closes_without_answer() -> void:
	_scenario("server_closes_without_answer")


## EOF inside the head: CONNECTION_ERROR
func test_server_closes_mid_headers() -> void:
	_scenario("server_closes_mid_headers")


## RST while REQUESTING
func test_server_resets() -> void:
	_scenario("server_resets")


## duplicates kept, stripped, colon-less lines kept, consumed once
func test_headers_as_array() -> void:
	_scenario("headers_as_array")


## last duplicate wins, case-sensitive keys, colon-less lines skipped
func test_headers_as_dictionary() -> void:
	_scenario("headers_as_dictionary")


## UTF-8 header values decoded
func test_headers_utf8_value() -> void:
	_scenario("headers_utf8_value")


## CL body read 256 bytes at a time; out-of-range values refused
func test_read_chunk_size_256() -> void:
	_scenario("read_chunk_size_256")


## a 1000-byte chunk is returned whole with rcs 256
func test_read_chunk_size_ignored_for_chunks() -> void:
	_scenario("read_chunk_size_ignored_for_chunks")


## a body in three pieces: empty reads between them
func test_slow_body_non_blocking() -> void:
	_scenario("slow_body_non_blocking")


## blocking: one poll to BODY, one read of 30 bytes
func test_blocking_slow_body() -> void:
	_scenario("blocking_slow_body")


## blocking chunked: no empty reads for missing data
func test_blocking_chunked() -> void:
	_scenario("blocking_chunked")


## blocking close-delimited body with rcs 256: one read, DISCONNECTED
func test_blocking_close_delimited() -> void:
	_scenario("blocking_close_delimited")


## blocking GET, HEAD, POST on one connection
func test_blocking_keep_alive() -> void:
	_scenario("blocking_keep_alive")


## HTTP proxy: absolute target, Host with the port, target not resolved
func test_http_proxy_absolute_form() -> void:
	_scenario("http_proxy_absolute_form")


## HTTP proxy to port 80: ':80' in the target, not in Host
func test_http_proxy_port_80() -> void:
	_scenario("http_proxy_port_80")


## the proxy rule is decided per request()
func test_http_proxy_set_after_connect() -> void:
	_scenario("http_proxy_set_after_connect")


## the HTTP proxy applies only to plain connections
func test_http_proxy_ignored_for_tls() -> void:
	_scenario("http_proxy_ignored_for_tls")


## CONNECT answered 403 without a body: CANT_CONNECT (25)
func test_https_proxy_refused() -> void:
	_scenario("https_proxy_refused")


## TLS with the test CA: same statuses, bytes and headers
func test_tls_get_with_ca() -> void:
	_scenario("tls_get_with_ca")


## https:// prefix keeps the caller's client_unsafe options
func test_tls_https_prefix_unsafe() -> void:
	_scenario("tls_https_prefix_unsafe")


## client(ca) to 127.0.0.1: the certificate names only localhost
func test_tls_name_mismatch() -> void:
	_scenario("tls_name_mismatch")


## the spec's examples, byte-exact
func test_query_string_from_dict() -> void:
	_scenario("query_string_from_dict")


## 100 Continue before the final response
func test_interim_100_continue() -> void:
	_scenario("interim_100_continue")


## no framing on a keep-alive connection
func test_unframed_keep_alive_body() -> void:
	_scenario("unframed_keep_alive_body")


## a chunk extension 5;a=b
func test_chunk_extension() -> void:
	_scenario("chunk_extension")


## Transfer-Encoding: Chunked
func test_transfer_encoding_capitalised() -> void:
	_scenario("transfer_encoding_capitalised")


## CL 10, 4 bytes, then FIN
func test_truncated_content_length_body() -> void:
	_scenario("truncated_content_length_body")


## HEAD answered with Transfer-Encoding: chunked
func test_head_with_chunked_response() -> void:
	_scenario("head_with_chunked_response")


## 204 carrying Content-Length: 5
func test_no_content_with_content_length() -> void:
	_scenario("no_content_with_content_length")


## CR LF inside a header entry
func test_header_crlf_injection() -> void:
	_scenario("header_crlf_injection")


## a stray CRLF before the status line
func test_blank_line_before_status() -> void:
	_scenario("blank_line_before_status")


## Connection:close with no framing
func test_connection_close_without_space() -> void:
	_scenario("connection_close_without_space")


## two equal Content-Length headers
func test_content_length_duplicates_agree() -> void:
	_scenario("content_length_duplicates_agree")


## Content-Length: -1 behaves as absent
func test_content_length_minus_one() -> void:
	_scenario("content_length_minus_one")


## a 3 MiB POST body written over many non-blocking polls
func test_large_request_body() -> void:
	_scenario("large_request_body")


## blocking: one poll waits for a late head
func test_blocking_waits_for_head() -> void:
	_scenario("blocking_waits_for_head")


## a partial chunk is returned only when complete
func test_chunk_split_across_packets() -> void:
	_scenario("chunk_split_across_packets")


## close() in the middle of a chunk, reconnect, chunked again
func test_chunked_aborted_then_new_connection() -> void:
	_scenario("chunked_aborted_then_new_connection")


## HTTP/1.1 abc gives code 0
func test_response_code_not_a_number() -> void:
	_scenario("response_code_not_a_number")


## proxy target keeps the query; POST body through the proxy
func test_http_proxy_with_query_and_post() -> void:
	_scenario("http_proxy_with_query_and_post")


## gunicorn: 204 with Connection: close, then FIN; a loop reconnects unless CONNECTED
func test_reuse_after_connection_close_204() -> void:
	_scenario("reuse_after_connection_close_204")


## HTTP/1.0 response without keep-alive, then FIN
func test_reuse_after_http10_without_keep_alive() -> void:
	_scenario("reuse_after_http10_without_keep_alive")


## Connection: close, the FIN comes late: the next request must not use it
func test_reuse_after_close_without_fin_yet() -> void:
	_scenario("reuse_after_close_without_fin_yet")


## waitress: HEAD answered chunked with 0\r\n\r\n
func test_reuse_after_waitress_head_chunked() -> void:
	_scenario("reuse_after_waitress_head_chunked")


## non-ASCII in the target: raw UTF-8 (built-in) or percent-encoded
func test_url_non_ascii_percent_encoded() -> void:
	_scenario("url_non_ascii_percent_encoded")


## '[::1]' is an address, not a name
func test_connect_ipv6_bracketed() -> void:
	_scenario("connect_ipv6_bracketed")


## FIN in the middle of a chunk: code 200 kept
func test_chunked_cut_mid_chunk_keeps_code() -> void:
	_scenario("chunked_cut_mid_chunk_keeps_code")


## keep-alive connection closed by the server while idle; request without poll
func test_idle_connection_closed_by_server() -> void:
	_scenario("idle_connection_closed_by_server")


## httpbin: a header value in Latin-1
func test_header_latin1() -> void:
	_scenario("header_latin1")
