"""TLS (trustme certificates made here) and proxies (a forward proxy and a CONNECT proxy written here)."""

import base64
import datetime
import hashlib
import ssl
import time

import pytest
from drive import S, connect, fetch, read_body, wait_status
from godot_http import HTTPClient, TLSOptions
from servers import connect_proxy, forward_proxy, respond

OK_HELLO = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"


def server_context(cert, max_version=None):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    if max_version is not None:
        ctx.maximum_version = max_version
    return ctx


@pytest.fixture(scope="module")
def localhost_cert(ca):
    return ca.issue_cert("localhost")


@pytest.fixture
def tls_server(serve, localhost_cert):
    def start(handler=None, **kw):
        return serve(handler or respond(OK_HELLO), ssl_context=server_context(localhost_cert, **kw))

    return start


def ca_pem(ca):
    return ca.cert_pem.bytes().decode()


@pytest.fixture
def client(env):
    c = HTTPClient(env)
    yield c
    c.close()


def test_https_with_trusted_chain_to_localhost(client, tls_server, ca):
    srv = tls_server()
    seq, rc = connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))
    assert seq == ["RESOLVING", "CONNECTING", "CONNECTED"] and rc == 0
    assert client.get_connection().is_tls
    r = fetch(client, 0, "/")
    assert r["body"] == b"hello" and srv.requests[0].startswith(
        f"GET / HTTP/1.1\r\nHost: localhost:{srv.port}\r\n".encode()
    )
    assert client.get_connection().ssl.version() == "TLSv1.3"


def test_ip_literal_without_ip_san_fails_name_check(client, tls_server, ca, messages):
    srv = tls_server()
    seq, rc = connect(client, "127.0.0.1", srv.port, TLSOptions.client(ca_pem(ca)))
    assert seq == ["CONNECTING", "TLS_HANDSHAKE_ERROR"] and rc == 25
    assert client.poll() == 27 and client.get_response_code() == 0
    assert messages.errors[-1].startswith("TLS handshake error: ")


def test_common_name_override_names_the_server_but_not_the_host_header(client, tls_server, ca):
    srv = tls_server()
    seq, _ = connect(client, "127.0.0.1", srv.port, TLSOptions.client(ca_pem(ca), "localhost"))
    assert seq[-1] == "CONNECTED"
    fetch(client, 0, "/")
    assert f"Host: 127.0.0.1:{srv.port}\r\n".encode() in srv.requests[0]


def test_wrong_common_name_override_fails(client, tls_server, ca):
    srv = tls_server()
    assert (
        connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca), "wrong.name"))[0][-1]
        == "TLS_HANDSHAKE_ERROR"
    )


def test_unsafe_client_accepts_anything_without_chain(client, tls_server):
    srv = tls_server()
    assert connect(client, "127.0.0.1", srv.port, TLSOptions.client_unsafe())[0][-1] == "CONNECTED"
    assert fetch(client, 0, "/")["body"] == b"hello"


def test_unsafe_client_with_other_chain_fails_verification(client, tls_server, other_ca):
    srv = tls_server()
    assert (
        connect(client, "127.0.0.1", srv.port, TLSOptions.client_unsafe(ca_pem(other_ca)))[0][-1]
        == "TLS_HANDSHAKE_ERROR"
    )


def test_unsafe_client_with_right_chain_skips_name_check(client, tls_server, ca):
    srv = tls_server()
    assert connect(client, "127.0.0.1", srv.port, TLSOptions.client_unsafe(ca_pem(ca)))[0][-1] == "CONNECTED"


def test_untrusted_root_fails_with_default_bundle(client, tls_server):
    srv = tls_server()
    assert connect(client, "https://localhost", srv.port)[0][-1] == "TLS_HANDSHAKE_ERROR"


def test_bundle_override_supplies_default_cas(env, tls_server, ca, tmp_path):
    path = tmp_path / "ca.pem"
    path.write_text(ca_pem(ca))
    env.certificate_bundle_override = str(path)
    srv = tls_server()
    c = HTTPClient(env)
    assert connect(c, "localhost", srv.port, TLSOptions.client())[0][-1] == "CONNECTED"
    c2 = HTTPClient(env)
    assert connect(c2, "127.0.0.1", srv.port, TLSOptions.client(None, "localhost"))[0][-1] == "CONNECTED"
    c.close()
    c2.close()


def test_missing_bundle_reports_ssl_module_failure(env, tls_server, messages, tmp_path):
    env.certificate_bundle_override = str(tmp_path / "missing.pem")
    srv = tls_server()
    c = HTTPClient(env)
    seq, rc = connect(c, "localhost", srv.port, TLSOptions.client())
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and rc == 25
    assert messages.errors[-1] == "TLS handshake error: SSL module failed to initialize!"


def test_expired_certificate_fails(client, serve, ca):
    now = datetime.datetime.now(datetime.UTC)
    cert = ca.issue_cert(
        "localhost", not_before=now - datetime.timedelta(days=10), not_after=now - datetime.timedelta(days=1)
    )
    srv = serve(respond(OK_HELLO), ssl_context=server_context(cert))
    assert connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))[0][-1] == "TLS_HANDSHAKE_ERROR"


def test_self_signed_certificate_fails_unless_unsafe(env, serve, tmp_path):
    import trustme

    own = trustme.CA()  # the CA's own self-signed certificate serves as the leaf
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    own.cert_pem.write_to_path(str(tmp_path / "cert.pem"))
    own.private_key_pem.write_to_path(str(tmp_path / "key.pem"))
    ctx.load_cert_chain(str(tmp_path / "cert.pem"), str(tmp_path / "key.pem"))
    srv = serve(respond(OK_HELLO), ssl_context=ctx)
    c = HTTPClient(env)
    assert connect(c, "localhost", srv.port, TLSOptions.client())[0][-1] == "TLS_HANDSHAKE_ERROR"
    c2 = HTTPClient(env)
    assert connect(c2, "localhost", srv.port, TLSOptions.client_unsafe())[0][-1] == "CONNECTED"
    c.close()
    c2.close()


def test_tls12_only_server_works(client, tls_server, ca):
    srv = tls_server(max_version=ssl.TLSVersion.TLSv1_2)
    assert connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))[0][-1] == "CONNECTED"
    assert client.get_connection().ssl.version() == "TLSv1.2"


def test_tls13_can_be_disabled_by_the_environment(env, tls_server, ca):
    env.tls13_enabled = False
    srv = tls_server()
    c = HTTPClient(env)
    connect(c, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))
    assert c.get_connection().ssl.version() == "TLSv1.2"
    c.close()


def _pin_of(cert):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    c = x509.load_pem_x509_certificate(cert.cert_chain_pems[0].bytes())
    spki = c.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def test_public_key_pin_match_connects(client, tls_server, ca, localhost_cert):
    srv = tls_server()
    assert client.set_tls_public_key_pins([_pin_of(localhost_cert)]) == 0
    assert connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))[0][-1] == "CONNECTED"


def test_public_key_pin_mismatch_fails_handshake(client, tls_server, ca, messages):
    srv = tls_server()
    client.set_tls_public_key_pins([base64.b64encode(b"\0" * 32).decode()])
    seq, rc = connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and rc == 25 and "pin mismatch" in messages.errors[-1]


def test_invalid_pin_is_refused(client, messages):
    assert client.set_tls_public_key_pins(["not base64!"]) == 31
    assert client.get_tls_public_key_pins() == []


@pytest.mark.parametrize(
    "close, last_read",
    [
        pytest.param("close", "7:DISCONNECTED", id="close_notify_ends_the_body_disconnected"),
        pytest.param("close_abruptly", "7:CONNECTION_ERROR", id="truncation_without_close_notify_is_connection_error"),
    ],
)
def test_tls_end_of_close_delimited_body(client, tls_server, ca, close, last_read):
    def handler(conn):
        conn.read_request()
        conn.send(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n1234567")
        getattr(conn, close)()

    srv = tls_server(handler)
    connect(client, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))
    client.request(0, "/", [])
    wait_status(client, (S.STATUS_REQUESTING,))
    time.sleep(0.1)
    body, reads = read_body(client)
    assert body == b"1234567" and reads == [last_read]


def test_tls_to_plain_server_stays_connecting_without_blocking(client, serve):
    srv = serve(respond())
    client.connect_to_host("127.0.0.1", srv.port, TLSOptions.client_unsafe())
    t0 = time.monotonic()
    for _ in range(200):
        client.poll()
    assert client.get_status() == S.STATUS_CONNECTING and time.monotonic() - t0 < 1.0


# ---------------------------------------------------------------------------- proxies
def test_http_forward_proxy_end_to_end(env, serve):
    origin = serve(respond(OK_HELLO))
    proxy = serve(forward_proxy())
    c = HTTPClient(env)
    c.set_http_proxy("proxy.test", proxy.port)  # the proxy host is resolved; the target is not
    seq, _ = connect(c, "origin.example", origin.port)
    assert seq == ["RESOLVING", "CONNECTING", "CONNECTED"]
    assert fetch(c, 0, "/a?b=1")["body"] == b"hello"
    assert proxy.requests[0].startswith(f"GET http://origin.example:{origin.port}/a?b=1 HTTP/1.1\r\n".encode())
    assert origin.requests[0].startswith(b"GET /a?b=1 HTTP/1.1\r\n")
    c.close()


def test_http_proxy_is_ignored_for_tls_and_https_proxy_for_plain(env, serve, tls_server, ca):
    plain = serve(respond(OK_HELLO))
    c = HTTPClient(env)
    c.set_https_proxy("127.0.0.1", 1)  # would fail if used
    assert connect(c, "127.0.0.1", plain.port)[0][-1] == "CONNECTED"
    srv = tls_server()
    c.set_http_proxy("127.0.0.1", 1)
    c.set_https_proxy("", -1)
    assert connect(c, "localhost", srv.port, TLSOptions.client(ca_pem(ca)))[0][-1] == "CONNECTED"
    c.close()


def test_https_through_connect_proxy(env, tls_server, serve, ca):
    origin = tls_server()
    proxy = serve(connect_proxy())
    c = HTTPClient(env)
    c.set_https_proxy("127.0.0.1", proxy.port)
    seq, _ = connect(c, "localhost", origin.port, TLSOptions.client(ca_pem(ca)))
    assert seq == ["CONNECTING", "CONNECTED"]  # the target name is never resolved locally
    assert (
        proxy.requests[0]
        == (
            f"CONNECT localhost:{origin.port} HTTP/1.1\r\nHost: localhost:{origin.port}\r\n"
            f"User-Agent: {env.user_agent}\r\nAccept: */*\r\n\r\n"
        ).encode()
    )
    r = fetch(c, 0, "/")
    assert r["body"] == b"hello" and f"Host: localhost:{origin.port}\r\n".encode() in origin.requests[0]
    c.close()


def test_connect_proxy_200_with_content_length_zero_works(env, tls_server, serve, ca):
    origin = tls_server()
    proxy = serve(connect_proxy(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
    c = HTTPClient(env)
    c.set_https_proxy("127.0.0.1", proxy.port)
    assert connect(c, "localhost", origin.port, TLSOptions.client(ca_pem(ca)))[0][-1] == "CONNECTED"
    c.close()


@pytest.mark.parametrize(
    "reply",
    [b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 4\r\n\r\nnope", b"HTTP/1.1 403 Forbidden\r\n\r\n"],
)
def test_connect_proxy_refusal_is_cant_connect(env, serve, reply):
    proxy = serve(connect_proxy(reply))
    c = HTTPClient(env)
    c.set_https_proxy("127.0.0.1", proxy.port)
    seq, rc = connect(c, "localhost", 443, TLSOptions.client())
    assert seq[-1] == "CANT_CONNECT" and rc == 25 and c.poll() == 25
    assert c.get_connection() is not None  # like the built-in, no close() on this path
    c.close()


def test_connect_proxy_with_endless_headers_hits_the_limit(env, serve, messages):
    def handler(conn):
        conn.recv_until(b"\r\n\r\n")
        conn.send(b"HTTP/1.1 200 OK\r\n")
        try:
            for _ in range(100):
                conn.send(b"X: " + b"y" * 8000 + b"\r\n")
        except OSError:
            pass

    proxy = serve(handler)
    c = HTTPClient(env)
    c.set_https_proxy("127.0.0.1", proxy.port)
    seq, rc = connect(c, "localhost", 443, TLSOptions.client())
    assert seq[-1] == "CANT_CONNECT" and "MAX_HEAD_BLOCK" in messages.errors[-1]
    c.close()


def test_connect_proxy_bytes_after_200_are_refused(env, serve, messages):
    proxy = serve(connect_proxy(b"HTTP/1.1 200 OK\r\n\r\nEXTRA"))
    c = HTTPClient(env)
    c.set_https_proxy("127.0.0.1", proxy.port)
    seq, rc = connect(c, "localhost", 443, TLSOptions.client())
    assert seq[-1] == "CANT_CONNECT" and "after its CONNECT response" in messages.errors[-1]
    c.close()
