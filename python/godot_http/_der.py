"""A tiny DER walker: just enough to cut SubjectPublicKeyInfo out of an X.509 certificate.

Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
signature, issuer, validity, subject, subjectPublicKeyInfo, ... }, ... } (RFC 5280 4.1).
Used for public-key pinning (``pin-sha256``, as in HPKP, RFC 7469): the pin is the base64 of
SHA-256 over the DER bytes of subjectPublicKeyInfo, tag and length included.
"""

import base64
import hashlib

__all__ = ["spki_from_certificate", "spki_pin"]


def _tlv(der: bytes, pos: int) -> tuple[int, int, int]:
    """Return (tag, start of value, end of value) of the element at ``pos``."""
    tag = der[pos]
    length = der[pos + 1]
    pos += 2
    if length & 0x80:
        n = length & 0x7F
        if n == 0 or n > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(der[pos : pos + n], "big")
        pos += n
    if pos + length > len(der):
        raise ValueError("truncated DER")
    return tag, pos, pos + length


def spki_from_certificate(der: bytes) -> bytes:
    tag, start, _ = _tlv(der, 0)
    if tag != 0x30:
        raise ValueError("not a certificate")
    tag, pos, _ = _tlv(der, start)  # tbsCertificate
    if tag != 0x30:
        raise ValueError("not a certificate")
    if der[pos] == 0xA0:  # [0] EXPLICIT version
        pos = _tlv(der, pos)[2]
    for _ in range(5):  # serialNumber, signature, issuer, validity, subject
        pos = _tlv(der, pos)[2]
    tag, _, end = _tlv(der, pos)
    if tag != 0x30:
        raise ValueError("no subjectPublicKeyInfo")
    return der[pos:end]


def spki_pin(der_certificate: bytes) -> str:
    return base64.b64encode(hashlib.sha256(spki_from_certificate(der_certificate)).digest()).decode("ascii")
