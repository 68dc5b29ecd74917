"""TLS options (Godot's ``TLSOptions`` as a frozen dataclass) and the ``ssl.SSLContext`` they map to.

Mapping (spec 11.2 / 11.4):

* ``client``: ``CERT_REQUIRED`` + hostname check; the name for SNI and matching is
  ``common_name_override`` or the connect host; CAs are ``trusted_ca_chain`` (PEM) or the
  default bundle (``Environment.ca_bundle_path()``).
* ``client_unsafe``: no server name at all (no SNI, no name check); ``CERT_REQUIRED`` against
  ``trusted_ca_chain`` when given, otherwise ``CERT_NONE``.
* ``server``: refused by ``connect_to_host``.

Revocation: with CRLs (``HTTPClient.set_tls_crls``) every certificate of the server's chain must
be covered by a current CRL of its issuer and not be listed in it (``_crl``).

TLS 1.2 minimum, TLS 1.3 maximum unless ``Environment.tls13_enabled`` is false. Contexts are
cached process-wide by their inputs: building one and loading a CA bundle costs milliseconds, far
more than a handshake's Python share.
"""

import ssl
import threading
from dataclasses import dataclass, field
from typing import Any

from ._crl import load_crls

__all__ = ["TLSOptions", "MODE_CLIENT", "MODE_CLIENT_UNSAFE", "MODE_SERVER", "make_context"]

MODE_CLIENT = 0
MODE_CLIENT_UNSAFE = 1
MODE_SERVER = 2


@dataclass(frozen=True)
class TLSOptions:
    """What Godot's TLSOptions carries that a client needs.

    ``trusted_ca_chain`` is PEM text (one or more certificates) or None for the default set.
    """

    mode: int = MODE_CLIENT
    trusted_ca_chain: str | None = None
    common_name_override: str = ""
    #: The host's own options object these were converted from (the Godot wrapper keeps the
    #: engine's TLSOptions here for its StreamPeerTLS); not part of equality or hashing.
    native: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def client(cls, trusted_chain: str | None = None, common_name_override: str = "") -> "TLSOptions":
        return cls(MODE_CLIENT, trusted_chain, common_name_override)

    @classmethod
    def client_unsafe(cls, trusted_chain: str | None = None) -> "TLSOptions":
        return cls(MODE_CLIENT_UNSAFE, trusted_chain, "")

    @classmethod
    def server(cls) -> "TLSOptions":
        """Server options exist only so that ``connect_to_host`` can refuse them like Godot."""
        return cls(MODE_SERVER, None, "")

    def is_server(self) -> bool:
        return self.mode == MODE_SERVER

    def is_unsafe_client(self) -> bool:
        return self.mode == MODE_CLIENT_UNSAFE

    def get_common_name_override(self) -> str:
        return self.common_name_override

    def get_trusted_ca_chain(self) -> str | None:
        return self.trusted_ca_chain


#: (unsafe, trusted chain, CA bundle path, TLS 1.3, CRLs) -> the client context made for them.
_contexts: dict[tuple[bool, str | None, str | None, bool, str | None], ssl.SSLContext] = {}
_contexts_lock = threading.Lock()


def make_context(
    options: TLSOptions, ca_bundle_path: str | None, tls13: bool, crls: str | None = None
) -> ssl.SSLContext:
    """Return the (cached) client context for ``options``. ``crls``: PEM CRLs checked for the
    whole chain (``_crl``). Raises ``ssl.SSLError``/``OSError``."""
    unsafe = options.mode == MODE_CLIENT_UNSAFE
    chain = options.trusted_ca_chain
    key = (unsafe, chain, None if chain else ca_bundle_path, tls13, crls)
    ctx = _contexts.get(key)
    if ctx is not None:
        return ctx
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_3 if tls13 else ssl.TLSVersion.TLSv1_2
    if unsafe:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_REQUIRED if chain else ssl.CERT_NONE
    else:
        ctx.check_hostname = True
        ctx.verify_mode = ssl.CERT_REQUIRED
    if chain:
        ctx.load_verify_locations(cadata=chain)
    elif not unsafe:
        if not ca_bundle_path:
            raise ssl.SSLError("no CA bundle")
        ctx.load_verify_locations(cafile=ca_bundle_path)
    if crls:
        load_crls(ctx, crls)
    with _contexts_lock:
        if len(_contexts) > 64:
            _contexts.clear()
        _contexts[key] = ctx
    return ctx
