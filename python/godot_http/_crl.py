"""Certificate revocation lists (CRLs) for the TLS context: checking PEM input and loading it.

Theory of operation
-------------------
``HTTPClient.set_tls_crls(pem)`` takes one or more ``-----BEGIN X509 CRL-----`` blocks. They
are checked at once (``check_crls``: OpenSSL must parse each one) and then become part of the
TLS context's key (``tls.make_context``), which loads them into the context's certificate
store and turns on ``VERIFY_CRL_CHECK_LEAF | VERIFY_CRL_CHECK_CHAIN``: during the handshake
OpenSSL checks every certificate of the server's chain (the leaf and each intermediate; not
the trust anchor) against a CRL of its issuer.

What fails the handshake (``STATUS_TLS_HANDSHAKE_ERROR``), with the message ``describe``
gives for OpenSSL's verify code:

* a certificate listed in its issuer's CRL (revoked);
* no CRL from a certificate's issuer (a CRL from another CA does not count): with CRL
  checking on, a CA whose CRL is missing cannot vouch for anything;
* a CRL past its ``nextUpdate`` (expired) or before its ``lastUpdate``;
* a CRL whose signature does not verify with its issuer's key.

Python's ``ssl`` loads CRLs only from files (``load_verify_locations(cadata=...)`` reads
certificates only), so the PEM goes through a private temporary file, once per context.
"""

import os
import re
import ssl
import tempfile

__all__ = ["CRL_BLOCK", "check_crls", "load_crls", "describe", "CRL_FLAGS"]

CRL_BLOCK = re.compile(r"-----BEGIN X509 CRL-----[A-Za-z0-9+/=\s]*?-----END X509 CRL-----")
CRL_FLAGS = ssl.VERIFY_CRL_CHECK_LEAF | ssl.VERIFY_CRL_CHECK_CHAIN

# OpenSSL X509_V_ERR_* codes (x509_vfy.h) about revocation, and what they mean here.
_MESSAGES = {
    23: "the server certificate (or a CA certificate of its chain) is revoked by its issuer's CRL",
    3: "no CRL from the issuer of a certificate in the server's chain (CRLs from other CAs do not count)",
    12: "the CRL of the issuer of a certificate in the server's chain has expired (past its nextUpdate)",
    11: "the CRL of the issuer of a certificate in the server's chain is not yet valid",
    8: "the signature of a CRL does not verify with its issuer's key",
    15: "a CRL has an invalid lastUpdate field",
    16: "a CRL has an invalid nextUpdate field",
    6: "the signature of a CRL cannot be checked (unreadable issuer key)",
}


def describe(verify_code: int, verify_message: str) -> str:
    """A specific message for a revocation-related verify failure, else OpenSSL's own words."""
    text = _MESSAGES.get(verify_code)
    return f"{text} (OpenSSL: {verify_message})" if text else verify_message


def _blocks(pem: str) -> list[str]:
    return CRL_BLOCK.findall(pem)


def load_crls(context: ssl.SSLContext, pem: str) -> None:
    """Add the CRLs to ``context``'s store and turn on CRL checking for the whole chain.
    Raises ``ssl.SSLError`` when OpenSSL cannot read one."""
    fd, path = tempfile.mkstemp(prefix="godot-http-crl-", suffix=".pem")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write("\n".join(_blocks(pem)) + "\n")
        context.load_verify_locations(cafile=path)
    finally:
        os.unlink(path)
    context.verify_flags |= CRL_FLAGS


def check_crls(pem: object) -> str | None:
    """None when ``pem`` is usable (text with one or more CRL blocks OpenSSL can read and
    nothing else but whitespace), else the reason."""
    if not isinstance(pem, str):
        return "CRLs must be a String of PEM text."
    blocks = _blocks(pem)
    if not blocks:
        return "no '-----BEGIN X509 CRL-----' block found."
    rest = CRL_BLOCK.sub("", pem)
    if rest.strip():
        return f"unexpected text besides the CRL blocks: {rest.strip()[:40]!r}."
    for i, block in enumerate(blocks):
        try:
            load_crls(ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT), block)
        except (ssl.SSLError, OSError, ValueError) as exc:
            return f"CRL {i} cannot be read ({exc})."
    return None
