"""Certificate revocation lists signed by trustme CAs (the tests' own), with `cryptography`."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

DAY = datetime.timedelta(days=1)


def serial_of(cert_pem: bytes) -> int:
    return x509.load_pem_x509_certificate(cert_pem).serial_number


def make_crl(ca, revoked=(), *, last_update=None, next_update=None) -> str:
    """A PEM CRL issued and signed by the trustme CA ``ca``, listing the serial numbers
    ``revoked``; valid from yesterday to tomorrow unless the dates are given."""
    now = datetime.datetime.now(datetime.UTC)
    issuer = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    key = serialization.load_pem_private_key(ca.private_key_pem.bytes(), password=None)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(last_update or now - DAY)
        .next_update(next_update or now + DAY)
    )
    for serial in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - DAY / 24).build()
        )
    crl = builder.sign(key, hashes.SHA256())
    return crl.public_bytes(serialization.Encoding.PEM).decode()
