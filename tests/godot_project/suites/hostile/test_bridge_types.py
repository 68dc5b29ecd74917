"""Issue 6 through the bridge, where the engine's own output is the outcome: GDScript calling
PyHTTPClient with wrong Variant types gets a script error or an Error code and the engine keeps
running (never a crash, never a Python traceback); hostile responses print Godot error messages
naming the limit. Each case runs a throwaway script in headless Godot (run_gdscript)."""

from __future__ import annotations

import os

import pytest

STILL_RUNNING = "engine still running"

WRONG_CALLS = [
    'http.request("GET", "/", [])',
    "http.request(0, 5, [])",
    'http.request(0, "/", "Host: x")',
    'http.request(0, "/", [], 5)',
    'http.request_raw(0, "/", [], "not bytes")',
    'http.request(0, "/", [1, 2])',
    "http.connect_to_host(5, 80)",
    'http.connect_to_host("127.0.0.1", "80")',
    'http.connect_to_host("127.0.0.1", 80, Node.new())',
    'http.set_read_chunk_size("big")',
    "http.set_http_proxy(null, null)",
    "http.set_connection(Node.new())",
    "http.set_tls_public_key_pins(42)",
    "http.query_string_from_dict(3)",
    "http.poll(1)",
    "http.read_response_body_chunk(1, 2)",
]


def script(statement: str) -> str:
    return f"""extends Node


func trigger():
	var http = ClassDB.instantiate("PyHTTPClient")
	var r = {statement}
	print("RESULT ", r)


func run():
	trigger()
	var http = ClassDB.instantiate("PyHTTPClient")
	print("status after: ", http.get_status(), " ", http.poll())
	print("{STILL_RUNNING}")
"""


@pytest.mark.godot
@pytest.mark.parametrize("statement", WRONG_CALLS)
def test_wrong_variant_types_give_a_script_error_or_an_error_code(run_gdscript, statement):
    run = run_gdscript(script(statement))
    out = run.output
    assert run.exit_code in (0, 1) and "@@END" in out, out[-3000:]
    assert STILL_RUNNING in out and "status after: 0 3" in out, out[-3000:]
    assert "Traceback (most recent call last)" not in out, out[-3000:]
    got_error_code = "RESULT 31" in out or "RESULT " in out and "ERROR:" in out
    assert "SCRIPT ERROR" in out or got_error_code, out[-3000:]


HOSTILE = (
    """extends Node


func fetch(path):
	var http = ClassDB.instantiate("PyHTTPClient")
	http.connect_to_host("127.0.0.1", int(OS.get_environment("HOSTILE_PORT")))
	while http.get_status() == HTTPClient.STATUS_CONNECTING:
		http.poll()
		OS.delay_msec(1)
	http.request(HTTPClient.METHOD_GET, path, [])
	var rc = OK
	while http.get_status() == HTTPClient.STATUS_REQUESTING:
		rc = http.poll()
		OS.delay_msec(1)
	while http.get_status() == HTTPClient.STATUS_BODY:
		http.read_response_body_chunk()
		OS.delay_msec(1)
	print("OUTCOME ", path, " ", http.get_status(), " ", rc)


func run():
	for path in ["/bad-status", "/huge-header", "/many-headers", "/cl-plus", "/bad-chunk", "/trunc"]:
		fetch(path)
	print("%s")
"""
    % STILL_RUNNING
)


@pytest.mark.godot
def test_hostile_responses_print_godot_errors_naming_the_limit(run_gdscript):
    assert os.environ.get("HOSTILE_PORT")  # started by this folder's conftest before each test
    run = run_gdscript(HOSTILE)
    out = run.output
    assert STILL_RUNNING in out and "Traceback" not in out, out[-3000:]
    for path, message in [
        ("/bad-status", "Invalid HTTP status line"),
        ("/huge-header", "MAX_HEADER_LINE = 65536"),
        ("/many-headers", "MAX_HEADERS = 256"),
        ("/cl-plus", "Invalid Content-Length: '+5'"),
        ("/bad-chunk", "HTTP Chunk len not in hex!!"),
        ("/trunc", "5 of 10 bytes missing"),
    ]:
        assert f"OUTCOME {path} 8 " in out, (path, out[-3000:])
        assert any(line.startswith("ERROR:") and message in line for line in out.splitlines()), (message, out[-3000:])
