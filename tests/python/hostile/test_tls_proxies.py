"""Issue 6 categories 4 (TLS) and 5 (proxies): the cases tests/python/http does not already
cover. Certificates are generated here (trustme, cryptography); servers are loopback only."""

import datetime
import ssl

import pytest
from godot_http import TLSOptions
from hostile import CALL_BUDGET, S, Timed, connect, exchange, free_port, good_handler, poll_while, reusable
from servers import connect_proxy

NOW = datetime.datetime.now(datetime.UTC)


@pytest.fixture(scope="module")
def ca():
    import trustme

    return trustme.CA()


def ca_pem(ca):
    return ca.cert_pem.bytes().decode()


def server_ctx(cert_pem: bytes, key_pem: bytes, tmp_path, seclevel0=False, version=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if seclevel0:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    if version is not None:
        ctx.minimum_version = ctx.maximum_version = version
    (tmp_path / "c.pem").write_bytes(cert_pem)
    (tmp_path / "k.pem").write_bytes(key_pem)
    ctx.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    return ctx


def handshake(client, port, options):
    t = Timed(client)
    rc = connect(t, "localhost", port, options)
    print("\nhandshake:", t.name(), rc, getattr(client.env.report_error, "__self__", []))
    return t, rc


def tls_server(serve, ctx):
    return serve(good_handler, ssl_context=ctx)


def test_not_yet_valid_certificate(client, serve, ca, tmp_path, messages):
    good = serve(good_handler)
    leaf = ca.issue_cert(
        "localhost", not_before=NOW + datetime.timedelta(days=1), not_after=NOW + datetime.timedelta(days=30)
    )
    srv = tls_server(serve, server_ctx(leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes(), tmp_path))
    t, rc = handshake(client, srv.port, TLSOptions.client(ca_pem(ca)))
    assert (t.name(), rc) == ("TLS_HANDSHAKE_ERROR", 25) and "not yet valid" in messages.text()
    assert t.slowest < CALL_BUDGET
    reusable(client, good.port)


def test_incomplete_chain(client, serve, ca, tmp_path, messages):
    good = serve(good_handler)
    intermediate = ca.create_child_ca()
    leaf = intermediate.issue_cert("localhost")
    # The server sends its leaf only, not the intermediate: the client cannot build the chain.
    srv = tls_server(serve, server_ctx(leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes(), tmp_path))
    t, rc = handshake(client, srv.port, TLSOptions.client(ca_pem(ca)))
    assert (t.name(), rc) == ("TLS_HANDSHAKE_ERROR", 25) and "unable to get local issuer" in messages.text()
    # The complete chain works.
    client.close()
    full = b"".join(p.bytes() for p in leaf.cert_chain_pems)
    srv2 = tls_server(serve, server_ctx(full, leaf.private_key_pem.bytes(), tmp_path))
    t, rc = handshake(client, srv2.port, TLSOptions.client(ca_pem(ca)))
    assert t.name() == "CONNECTED" and exchange(t)["body"] == b"hello"
    reusable(client, good.port)


def _weak_self_signed():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


def test_weak_rsa_1024_key_is_refused_even_when_trusted(client, serve, tmp_path, messages):
    good = serve(good_handler)
    cert, key = _weak_self_signed()
    srv = tls_server(serve, server_ctx(cert, key, tmp_path, seclevel0=True))
    t, rc = handshake(client, srv.port, TLSOptions.client(cert.decode()))
    assert (t.name(), rc) == ("TLS_HANDSHAKE_ERROR", 25) and "too" in messages.text().lower(), messages.text()
    reusable(client, good.port)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1], ids=["TLSv1.0", "TLSv1.1"])
def test_tls10_or_11_only_server_is_refused(client, serve, ca, tmp_path, messages, version):
    good = serve(good_handler)
    leaf = ca.issue_cert("localhost")
    try:
        ctx = server_ctx(leaf.cert_chain_pems[0].bytes(), leaf.private_key_pem.bytes(), tmp_path, True, version)
    except (ssl.SSLError, ValueError) as exc:
        pytest.fail(f"this OpenSSL cannot even serve {version.name}: {exc}")
    srv = tls_server(serve, ctx)
    t, rc = handshake(client, srv.port, TLSOptions.client(ca_pem(ca)))
    assert (t.name(), rc) == ("TLS_HANDSHAKE_ERROR", 25) and "protocol version" in messages.text()
    assert t.slowest < CALL_BUDGET
    reusable(client, good.port)


@pytest.mark.parametrize("server_does", ["http-reply", "fin", "rst", "garbage"])
def test_plain_http_or_a_close_during_the_handshake(client, serve, messages, server_does):
    good = serve(good_handler)

    def handler(conn):
        conn.sock.settimeout(5)
        conn.sock.recv(5)  # the start of the ClientHello
        if server_does == "http-reply":
            conn.send(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            conn.close()
        elif server_does == "fin":
            conn.close()
        elif server_does == "rst":
            conn.reset()
        else:
            conn.send(b"\x16\x03\x03\xff\xff" + b"\0" * 100)
            conn.close()

    srv = serve(handler)
    t, rc = handshake(client, srv.port, TLSOptions.client_unsafe())
    assert (t.name(), rc) == ("TLS_HANDSHAKE_ERROR", 25) and "TLS handshake error" in messages.text()
    assert client.get_connection() is None and t.slowest < CALL_BUDGET
    reusable(client, good.port)


def test_client_unsafe_is_never_reused_by_a_later_verified_request(client, serve, ca, tmp_path, messages):
    """An unverified connection made with client_unsafe() must not carry a later client()
    connection: every connect_to_host starts a new TCP connection and a verified handshake."""
    import trustme

    rogue = trustme.CA().issue_cert("localhost")  # not signed by `ca`
    srv = serve(
        good_handler, ssl_context=server_ctx(rogue.cert_chain_pems[0].bytes(), rogue.private_key_pem.bytes(), tmp_path)
    )
    t, rc = handshake(client, srv.port, TLSOptions.client_unsafe())
    assert t.name() == "CONNECTED" and exchange(t)["body"] == b"hello"
    # Same object, same server, now verified, without and with a close() in between.
    t, rc = handshake(client, srv.port, TLSOptions.client(ca_pem(ca)))
    assert (t.name(), rc) == ("TLS_HANDSHAKE_ERROR", 25)
    assert client.request(0, "/", []) == 31
    client.close()
    t, rc = handshake(client, srv.port, TLSOptions.client(ca_pem(ca)))
    assert t.name() == "TLS_HANDSHAKE_ERROR" and srv.connections == 3
    # https:// prefix (default CAs) does not pick up the unsafe options either.
    client.close()
    assert client.connect_to_host("https://localhost", srv.port) == 0
    poll_while(Timed(client), (S.STATUS_RESOLVING, S.STATUS_CONNECTING))
    assert client.get_status() == S.STATUS_TLS_HANDSHAKE_ERROR and srv.connections == 4


# ------------------------------------------------------------------ proxies (category 5)


@pytest.mark.parametrize(
    "reply,status,message",
    [
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "CANT_CONNECT", "bytes after its CONNECT response"),
        (
            b"HTTP/1.1 407 Proxy Authentication Required\r\nTransfer-Encoding: chunked\r\n\r\n"
            + b"5\r\nhello\r\n" * 50,
            "CANT_CONNECT",
            "HTTP 407",
        ),
        (b"HTTP/1.1 403 Forbidden\r\n" + b"X-Pad: " + b"p" * 70000 + b"\r\n\r\n", "CANT_CONNECT", "MAX_HEADER_LINE"),
        (b"HTTP/1.1 100 Continue\r\n\r\n" * 6 + b"HTTP/1.1 200 OK\r\n\r\n", "CANT_CONNECT", "MAX_INTERIM_RESPONSES"),
        (b"garbage\r\n\r\n", "CANT_CONNECT", "Invalid HTTP status line"),
        (b"HTTP/1.1 200 OK\r\n\r\n", "TLS_HANDSHAKE_ERROR", "TLS handshake error"),  # then closes: no tunnel
    ],
)
def test_hostile_connect_proxy(env, client, serve, messages, reply, status, message):
    good = serve(good_handler)

    def proxy(conn):
        conn.recv_until(b"\r\n\r\n")
        conn.send(reply)
        conn.close()

    srv = serve(proxy)
    client.set_https_proxy("127.0.0.1", srv.port)
    t = Timed(client)
    connect(t, "localhost", 443, TLSOptions.client_unsafe())
    assert t.name() == status and message in messages.text(), messages.text()
    assert client.get_connection() is None or status == "CANT_CONNECT"
    assert t.slowest < CALL_BUDGET
    client.set_https_proxy("", -1)
    reusable(client, good.port)


def test_unreachable_proxy(client, serve):
    good = serve(good_handler)
    for setter, tls in ((client.set_https_proxy, TLSOptions.client_unsafe()), (client.set_http_proxy, None)):
        setter("127.0.0.1", free_port())
        t = Timed(client)
        rc = connect(t, "localhost", 443 if tls else 80, tls)
        assert (t.name(), rc) == ("CANT_CONNECT", 25)
        setter("", -1)
        client.close()
    reusable(client, good.port)


def test_crlf_in_the_proxy_target_is_refused(client, serve, messages):
    srv = serve(connect_proxy())
    client.set_https_proxy("127.0.0.1", srv.port)
    assert client.connect_to_host("localhost\r\nX-Injected: 1", 443, TLSOptions.client_unsafe()) == 31
    assert client.connect_to_host("evil.test:1 HTTP/1.1\r\n\r\nGET /", 443, TLSOptions.client_unsafe()) == 31
    assert "CR, LF or NUL" in messages.text() and srv.requests == []
