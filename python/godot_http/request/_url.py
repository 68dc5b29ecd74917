"""URLs for the request node: what ``request()`` accepts, and where a ``Location`` points.

``parse_url(text)`` splits an absolute ``http``/``https`` URL the way Godot's
``String.parse_url`` does for the built-in ``HTTPRequest`` (scheme, optional credentials that
are dropped, host, optional port, path, fragment dropped), with two fixes: a bracketed IPv6
literal (``http://[::1]:8080/``) gives the bare address, and a query without a path
(``http://host?x=1``) gets the path ``/`` (RFC 3986 6.2.3) instead of becoming part of the host.

``resolve(base, reference)`` is RFC 3986 section 5.2 reference resolution (the algorithm of
5.2.2 with ``merge`` and ``remove_dot_segments``), used for ``Location`` (RFC 9110 10.2.2).

No I/O here; everything is a pure function of its arguments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Target", "URLError", "parse_url", "resolve", "split_reference", "remove_dot_segments"]

ERR_INVALID_PARAMETER = 31
DEFAULT_PORTS = {"http": 80, "https": 443}

# RFC 3986 appendix B.
_REFERENCE = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
_SCHEME_CHARS = re.compile(r"^[A-Za-z0-9+.\-]*$")


class URLError(ValueError):
    """A URL ``request()`` cannot use; ``code`` is the Godot ``Error`` to return."""

    def __init__(self, message: str, code: int = ERR_INVALID_PARAMETER) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Target:
    """Where one request goes: scheme (``http``/``https``), host (no brackets), port, and the
    request target (path and query, at least ``/``)."""

    scheme: str
    host: str
    port: int
    path: str

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    @property
    def origin(self) -> tuple[str, str, int]:
        """RFC 6454 origin: requests to the same origin may share a connection and credentials."""
        return (self.scheme, self.host.lower(), self.port)

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if DEFAULT_PORTS.get(self.scheme) == self.port:
            return host
        return f"{host}:{self.port}"

    def url(self) -> str:
        return f"{self.scheme}://{self.authority}{self.path}"


def parse_url(text: str) -> Target:
    """An absolute http(s) URL -> Target, or URLError with Godot's message texts."""
    if not isinstance(text, str):
        raise URLError("Error parsing URL: the URL must be a String.")
    base = text
    scheme = ""
    pos = base.find("://")
    if pos >= 0 and _SCHEME_CHARS.match(base[:pos]):
        scheme = base[:pos].lower()
        base = base[pos + 3 :]
    pos = base.find("#")
    if pos >= 0:
        base = base[:pos]
    cut = len(base)
    for mark in "/?":
        pos = base.find(mark)
        if 0 <= pos < cut:
            cut = pos
    path = base[cut:]
    base = base[:cut]
    if path.startswith("?"):
        path = "/" + path
    pos = base.rfind("@")
    if pos >= 0:
        base = base[pos + 1 :]  # credentials are dropped, as the built-in does
    if base.startswith("["):
        end = base.find("]")
        if end < 0:
            raise URLError(f"Error parsing URL: '{text}'.")
        host = base[1:end]
        rest = base[end + 1 :]
        if rest and not rest.startswith(":"):
            raise URLError(f"Error parsing URL: '{text}'.")
    else:
        if base.count(":") > 1:
            raise URLError(f"Error parsing URL: '{text}'.")
        host, colon, port_text = base.partition(":")
        rest = colon + port_text
    if not host:
        raise URLError(f"Error parsing URL: '{text}'.")
    port = 0
    if rest.startswith(":"):
        digits = rest[1:]
        if not (digits.isascii() and digits.isdigit()) or not 1 <= int(digits) <= 65535:
            raise URLError(f"Error parsing URL: '{text}'.")
        port = int(digits)
    if scheme not in DEFAULT_PORTS:
        raise URLError(f"Invalid URL scheme: '{scheme + '://' if scheme else ''}'.")
    if port == 0:
        port = DEFAULT_PORTS[scheme]
    return Target(scheme, host, port, path or "/")


Parts = tuple[str | None, str | None, str, str | None, str | None]


def split_reference(ref: str) -> Parts:
    """(scheme, authority, path, query, fragment); absent parts are None (path is always a str)."""
    m = _REFERENCE.match(ref)
    assert m is not None  # every string matches the appendix B expression
    scheme, authority, path, query, fragment = m.groups()
    return scheme, authority, path or "", query, fragment


def remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4."""
    out: list[str] = []
    while path:
        if path.startswith("../"):
            path = path[3:]
        elif path.startswith("./"):
            path = path[2:]
        elif path.startswith("/./"):
            path = path[2:]
        elif path == "/.":
            path = "/"
        elif path.startswith("/../"):
            path = path[3:]
            if out:
                out.pop()
        elif path == "/..":
            path = "/"
            if out:
                out.pop()
        elif path in (".", ".."):
            path = ""
        else:
            start = 1 if path.startswith("/") else 0
            end = path.find("/", start)
            if end < 0:
                end = len(path)
            out.append(path[:end])
            path = path[end:]
    return "".join(out)


def _merge(base_authority: str | None, base_path: str, ref_path: str) -> str:
    if base_authority is not None and base_path == "":
        return "/" + ref_path
    return base_path[: base_path.rfind("/") + 1] + ref_path


def resolve(base: str, reference: str) -> str:
    """RFC 3986 5.2.2: the target URI of ``reference`` against the absolute URI ``base``
    (without the fragment, which never reaches the server)."""
    b_scheme, b_auth, b_path, b_query, _ = split_reference(base)
    r_scheme, r_auth, r_path, r_query, _ = split_reference(reference)
    scheme: str | None
    auth: str | None
    query: str | None
    if r_scheme is not None:
        scheme, auth, path, query = r_scheme, r_auth, remove_dot_segments(r_path), r_query
    else:
        scheme = b_scheme
        if r_auth is not None:
            auth, path, query = r_auth, remove_dot_segments(r_path), r_query
        else:
            auth = b_auth
            if r_path == "":
                path = b_path
                query = r_query if r_query is not None else b_query
            else:
                if r_path.startswith("/"):
                    path = remove_dot_segments(r_path)
                else:
                    path = remove_dot_segments(_merge(b_auth, b_path, r_path))
                query = r_query
    out = ""
    if scheme is not None:
        out += scheme + ":"
    if auth is not None:
        out += "//" + auth
    out += path
    if query is not None:
        out += "?" + query
    return out
