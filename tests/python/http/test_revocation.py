"""Issue 13 part 3: certificate revocation (set_tls_crls). CRLs signed by the test CA (crls.py),
checked during the real handshake with a loopback TLS server: revoked leaf, revoked
intermediate, expired CRL, CRL from another CA, missing CRL for an intermediate, bad input."""

import datetime
import ssl

import pytest
from crls import DAY, make_crl, serial_of
from drive import connect, fetch
from godot_http import HTTPClient, TLSOptions
from servers import respond

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


@pytest.fixture
def client(env):
    c = HTTPClient(env)
    yield c
    c.close()


def server_context(cert):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(ctx)
    return ctx


@pytest.fixture(scope="module")
def leaf(ca):
    return ca.issue_cert("localhost")


@pytest.fixture(scope="module")
def chain():
    """root -> intermediate -> leaf, for the chain checks."""
    import trustme

    root = trustme.CA()
    intermediate = root.create_child_ca()
    return root, intermediate, intermediate.issue_cert("localhost")


def handshake(client, serve, cert, trusted_pem, crls):
    srv = serve(respond(OK), ssl_context=server_context(cert))
    assert client.set_tls_crls(crls) == 0
    seq, rc = connect(client, "localhost", srv.port, TLSOptions.client(trusted_pem))
    return seq, rc


def test_a_crl_of_the_ca_that_does_not_list_the_server_lets_it_through(client, serve, ca, leaf, messages):
    seq, rc = handshake(client, serve, leaf, ca.cert_pem.bytes().decode(), make_crl(ca, [12345]))
    assert seq[-1] == "CONNECTED" and rc == 0, messages.text()
    assert fetch(client, 0, "/")["body"] == b"ok"
    assert messages.errors == []


def test_a_revoked_server_certificate_fails_the_handshake_naming_the_revocation(client, serve, ca, leaf, messages):
    crl = make_crl(ca, [serial_of(leaf.cert_chain_pems[0].bytes())])
    seq, rc = handshake(client, serve, leaf, ca.cert_pem.bytes().decode(), crl)
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and rc == 25, seq
    assert client.poll() == 27
    assert messages.errors == [
        "TLS handshake error: the server certificate (or a CA certificate of its chain) is "
        "revoked by its issuer's CRL (OpenSSL: certificate revoked)"
    ]


def test_an_expired_crl_fails_the_handshake_saying_so(client, serve, ca, leaf, messages):
    now = datetime.datetime.now(datetime.UTC)
    crl = make_crl(ca, [], last_update=now - 3 * DAY, next_update=now - DAY)
    seq, _ = handshake(client, serve, leaf, ca.cert_pem.bytes().decode(), crl)
    assert seq[-1] == "TLS_HANDSHAKE_ERROR"
    assert messages.errors == [
        "TLS handshake error: the CRL of the issuer of a certificate in the server's chain "
        "has expired (past its nextUpdate) (OpenSSL: CRL has expired)"
    ]


def test_a_crl_not_yet_valid_fails_the_handshake(client, serve, ca, leaf, messages):
    now = datetime.datetime.now(datetime.UTC)
    crl = make_crl(ca, [], last_update=now + DAY, next_update=now + 2 * DAY)
    seq, _ = handshake(client, serve, leaf, ca.cert_pem.bytes().decode(), crl)
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and "not yet valid" in messages.text()


def test_a_crl_from_another_ca_does_not_count(client, serve, ca, other_ca, leaf, messages):
    """The other CA's CRL even lists the leaf's serial: it has no say over this certificate.
    With CRL checking on, the missing CRL of the real issuer fails the handshake."""
    crl = make_crl(other_ca, [serial_of(leaf.cert_chain_pems[0].bytes())])
    seq, _ = handshake(client, serve, leaf, ca.cert_pem.bytes().decode(), crl)
    assert seq[-1] == "TLS_HANDSHAKE_ERROR"
    assert messages.errors == [
        "TLS handshake error: no CRL from the issuer of a certificate in the server's chain "
        "(CRLs from other CAs do not count) (OpenSSL: unable to get certificate CRL)"
    ]


def test_a_forged_crl_in_the_name_of_the_ca_is_refused(client, serve, ca, leaf, messages):
    """Issuer name of the test CA, signed with another key: the signature check fails."""
    import trustme
    from cryptography import x509

    impostor = trustme.CA()
    impostor_cert = x509.load_pem_x509_certificate(impostor.cert_pem.bytes())
    real_subject = x509.load_pem_x509_certificate(ca.cert_pem.bytes()).subject
    assert impostor_cert.subject != real_subject

    class Forger:  # the impostor's key under the real CA's name
        cert_pem = ca.cert_pem
        private_key_pem = impostor.private_key_pem

    seq, _ = handshake(client, serve, leaf, ca.cert_pem.bytes().decode(), make_crl(Forger, []))
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and "signature of a CRL" in messages.text(), messages.text()


def test_chain_intermediate_and_leaf_both_checked(client, serve, chain, messages):
    root, intermediate, leaf = chain
    trusted = root.cert_pem.bytes().decode()
    leaf_serial = serial_of(leaf.cert_chain_pems[0].bytes())
    intermediate_serial = serial_of(intermediate.cert_pem.bytes())
    # Both CAs have a CRL, nothing revoked: through.
    seq, _ = handshake(client, serve, leaf, trusted, make_crl(root) + make_crl(intermediate))
    assert seq[-1] == "CONNECTED", messages.text()
    # The leaf revoked by the intermediate.
    client.close()
    seq, _ = handshake(client, serve, leaf, trusted, make_crl(root) + make_crl(intermediate, [leaf_serial]))
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and "revoked" in messages.errors[-1]
    # The intermediate revoked by the root: every certificate under it falls.
    messages.clear()
    seq, _ = handshake(client, serve, leaf, trusted, make_crl(root, [intermediate_serial]) + make_crl(intermediate))
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and "revoked" in messages.errors[-1]
    # No CRL from the root for the intermediate: not accepted.
    messages.clear()
    seq, _ = handshake(client, serve, leaf, trusted, make_crl(intermediate))
    assert seq[-1] == "TLS_HANDSHAKE_ERROR" and "no CRL from the issuer" in messages.errors[-1]


def test_empty_string_turns_checking_off(client, serve, ca, leaf, messages):
    assert client.set_tls_crls(make_crl(ca, [serial_of(leaf.cert_chain_pems[0].bytes())])) == 0
    assert client.set_tls_crls("") == 0 and client.get_tls_crls() == ""
    srv = serve(respond(OK), ssl_context=server_context(leaf))
    seq, _ = connect(client, "localhost", srv.port, TLSOptions.client(ca.cert_pem.bytes().decode()))
    assert seq[-1] == "CONNECTED"


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("not a crl", "no '-----BEGIN X509 CRL-----' block found."),
        ("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", "CRL 0 cannot be read"),
        (None, "CRLs must be a String of PEM text."),
    ],
)
def test_unreadable_crls_are_refused_and_the_previous_ones_kept(client, ca, messages, bad, reason):
    good = make_crl(ca)
    assert client.set_tls_crls(good) == 0
    assert client.set_tls_crls(bad) == 31
    assert client.get_tls_crls() == good
    assert messages.errors[0].startswith("Invalid CRLs: " + reason), messages.errors


def test_text_around_the_blocks_is_refused(client, ca, messages):
    assert client.set_tls_crls("hello\n" + make_crl(ca)) == 31
    assert "unexpected text besides the CRL blocks" in messages.errors[0]


def test_unsafe_without_chain_warns_that_crls_are_not_checked(client, serve, ca, leaf, messages):
    srv = serve(respond(OK), ssl_context=server_context(leaf))
    assert client.set_tls_crls(make_crl(ca, [serial_of(leaf.cert_chain_pems[0].bytes())])) == 0
    seq, _ = connect(client, "localhost", srv.port, TLSOptions.client_unsafe())
    assert seq[-1] == "CONNECTED"
    assert messages.warnings == [
        "The CRLs are not checked: TLSOptions.client_unsafe() without a trusted chain verifies no certificate."
    ]
