# Real-server suite over TLS (marked slow in conftest.py): the same exchanges as
# test_realservers.gd against the servers with TLS (all but waitress).
# timeout: 240
# expect-errors
extends "res://suites/realservers/realserver_suite.gd"


func before_all() -> void:
	summary_name = "tls"
	super()


func test_nginx_tls() -> void:
	await _server("nginx", true)


func test_lighttpd_tls() -> void:
	await _server("lighttpd", true)


func test_apache_tls() -> void:
	await _server("apache", true)


func test_gunicorn_tls() -> void:
	await _server("gunicorn", true)


func test_uvicorn_tls() -> void:
	await _server("uvicorn", true)
