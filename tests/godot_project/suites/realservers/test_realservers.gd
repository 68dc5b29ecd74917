# Real-server suite, plain HTTP: HTTPClient vs PyHTTPClient and HTTPRequest vs PyHTTPRequest
# against nginx, lighttpd, Apache, gunicorn, waitress and uvicorn (realserver_suite.gd, conftest.py).
# timeout: 240
# expect-errors
extends "res://suites/realservers/realserver_suite.gd"


func test_nginx() -> void:
	await _server("nginx", false)


func test_lighttpd() -> void:
	await _server("lighttpd", false)


func test_apache() -> void:
	await _server("apache", false)


func test_gunicorn() -> void:
	await _server("gunicorn", false)


func test_waitress() -> void:
	await _server("waitress", false)


func test_uvicorn() -> void:
	await _server("uvicorn", false)
