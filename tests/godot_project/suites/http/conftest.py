"""Loopback servers for the PyHTTPClient GDScript suites in this folder.

The suites here run in a headless Godot process that pytest starts (tests/harness); the
servers run in the pytest process and Godot inherits their addresses through environment
variables (the harness starts Godot with pytest's environment):

    PYHTTP_PORT         plain HTTP/1.1 server on 127.0.0.1 (keep-alive)
    PYHTTP_TLS_PORT     the same behind TLS, certificate for "localhost" from a test CA
    PYHTTP_CA_FILE      that CA's certificate (PEM file)
    PYHTTP_OTHER_CA_FILE  an unrelated CA (PEM file), for verification failures
    PYHTTP_TLS_PIN      base64 SHA-256 of the TLS server's SubjectPublicKeyInfo (pin-sha256)
    PYHTTP_CRL_REVOKED, PYHTTP_CRL_CLEAN, PYHTTP_CRL_EXPIRED, PYHTTP_CRL_OTHER_CA
                        CRL files (PEM): the test CA's listing the server certificate, the test
                        CA's listing another serial, the test CA's past its nextUpdate, the
                        unrelated CA's listing the server's serial

Routes (every response is deterministic: no Date header):

    /text?n=N      200, Content-Length, N bytes (byte i = i % 251)
    /chunked?n=N   200, Transfer-Encoding: chunked, N bytes in 1000-byte chunks
    /close?n=N     200, no length, Connection: close; N bytes, then the server closes
    /slow?n=N      200, Content-Length, N bytes sent in three pieces 100 ms apart
    /echo          200, Content-Length, the body is the raw request (head and body)
    anything else  404 with a short body

The servers start when the first test of this folder runs and stop at the end of the session.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "python" / "http"))
from harness.background import BackgroundServers  # noqa: E402
from servers import ScriptedServer  # noqa: E402  (tests/python/http/servers.py)


def body_of(n: int) -> bytes:
    return bytes(i % 251 for i in range(n))


def _response(code: int, reason: str, headers: list[str], body: bytes = b"") -> bytes:
    head = f"HTTP/1.1 {code} {reason}\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    return head.encode() + body


def route(conn) -> None:
    """Serve requests on one connection until the client goes away."""
    while True:
        try:
            raw = conn.read_request(timeout=30)
        except (EOFError, OSError):
            return
        line = raw.split(b"\r\n", 1)[0].decode("latin-1")
        parts = line.split(" ")
        target = parts[1] if len(parts) > 1 else "/"
        url = urlsplit(target)
        n = int(parse_qs(url.query).get("n", ["0"])[0])
        server_header = "Server: pyhttp-test"
        if url.path == "/text":
            conn.send(
                _response(
                    200,
                    "OK",
                    [server_header, "Content-Type: application/octet-stream", f"Content-Length: {n}"],
                    body_of(n),
                )
            )
        elif url.path == "/chunked":
            data = body_of(n)
            out = _response(200, "OK", [server_header, "Transfer-Encoding: chunked"])
            for i in range(0, n, 1000):
                piece = data[i : i + 1000]
                out += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
            conn.send(out + b"0\r\n\r\n")
        elif url.path == "/close":
            conn.send(_response(200, "OK", [server_header, "Connection: close"], body_of(n)))
            conn.close()
            return
        elif url.path == "/slow":
            data = body_of(n)
            conn.send(_response(200, "OK", [server_header, f"Content-Length: {n}"]))
            third = max(1, n // 3)
            for i in range(0, n, third):
                time.sleep(0.1)
                conn.send(data[i : i + third])
        elif url.path == "/echo":
            conn.send(
                _response(200, "OK", [server_header, "Content-Type: text/plain", f"Content-Length: {len(raw)}"], raw)
            )
        else:
            conn.send(_response(404, "Not Found", [server_header, "Content-Length: 9"], b"not found"))


def _spki_pin(cert_pem: bytes) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    cert = x509.load_pem_x509_certificate(cert_pem)
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def start_servers() -> list[ScriptedServer]:
    import trustme

    ca, other = trustme.CA(), trustme.CA()
    leaf = ca.issue_cert("localhost")
    context = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    folder = Path(tempfile.mkdtemp(prefix="pyhttp-"))
    (folder / "ca.crt").write_bytes(ca.cert_pem.bytes())
    (folder / "other_ca.crt").write_bytes(other.cert_pem.bytes())
    plain = ScriptedServer(route)
    secure = ScriptedServer(route, ssl_context=context)
    os.environ.update(
        {
            "PYHTTP_PORT": str(plain.port),
            "PYHTTP_TLS_PORT": str(secure.port),
            "PYHTTP_CA_FILE": str(folder / "ca.crt"),
            "PYHTTP_OTHER_CA_FILE": str(folder / "other_ca.crt"),
            "PYHTTP_TLS_PIN": _spki_pin(leaf.cert_chain_pems[0].bytes()),
        }
    )
    # Certificate revocation lists (tests/python/http/crls.py) for set_tls_crls.
    import datetime

    from crls import DAY, make_crl, serial_of

    now = datetime.datetime.now(datetime.UTC)
    serial = serial_of(leaf.cert_chain_pems[0].bytes())
    for name, crl in [
        ("REVOKED", make_crl(ca, [serial])),
        ("CLEAN", make_crl(ca, [serial + 1])),
        ("EXPIRED", make_crl(ca, [], last_update=now - 3 * DAY, next_update=now - DAY)),
        ("OTHER_CA", make_crl(other, [serial])),
    ]:
        (folder / f"crl_{name.lower()}.pem").write_text(crl)
        os.environ[f"PYHTTP_CRL_{name}"] = str(folder / f"crl_{name.lower()}.pem")
    return [plain, secure]


SERVERS = BackgroundServers(start_servers)


def pytest_runtest_setup(item) -> None:
    SERVERS.ensure_started()


def pytest_sessionfinish(session) -> None:
    SERVERS.stop()
