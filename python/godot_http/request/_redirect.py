"""Redirect policy: whether a response is followed, and what the next request looks like.

RFC 9110 section 15.4, as browsers and curl apply it:

==========  =====================================================================
status      next request
==========  =====================================================================
301, 302    same method and body, except POST, which becomes GET without its body
            (15.4.2/15.4.3: "for historical reasons, a user agent MAY change POST to GET")
303         GET without a body (HEAD stays HEAD) (15.4.4)
307, 308    same method and the same body (15.4.8/15.4.9)
others      not followed (300, 304, 305, 306 are not redirects to follow)
==========  =====================================================================

When the method changes to GET the body goes, and with it the header fields that describe
it (``Content-Length``, ``Content-Type``, ``Content-Encoding``, ...; 15.4 "remove header
fields that were specific to the content"). ``Location`` is resolved against the URL of the
request that got it (RFC 3986 5.2; 10.2.2). When the next request goes to another origin
(scheme, host or port differ), credentials the caller put in the headers are not forwarded:
``Authorization``, ``Proxy-Authorization`` and ``Cookie``, and a caller ``Host`` (it named
the old host) (as curl without ``--location-trusted``, and the Fetch standard).
A ``Location`` whose scheme is not http/https, or that cannot be parsed, is not followed:
the redirect response itself is the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ._url import Target, URLError, parse_url, resolve

__all__ = ["REDIRECT_CODES", "Hop", "next_hop", "header_value", "CROSS_ORIGIN_DROPPED"]

METHOD_GET = 0
METHOD_HEAD = 1
METHOD_POST = 2

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
#: Dropped when a redirect leaves the origin.
CROSS_ORIGIN_DROPPED = frozenset({"authorization", "proxy-authorization", "cookie", "host"})
#: Dropped with the body when the method becomes GET.
CONTENT_HEADERS = frozenset(
    {
        "content-length",
        "content-type",
        "content-encoding",
        "content-language",
        "content-location",
        "transfer-encoding",
        "expect",
    }
)


@dataclass(frozen=True)
class Hop:
    """The next request of a redirect chain."""

    method: int
    target: Target
    headers: tuple[str, ...]
    body: bytes
    cross_origin: bool


def _name(header: str) -> str:
    return header.split(":", 1)[0].strip().lower()


def header_value(headers: Iterable[str], name: str) -> str | None:
    """The value of the first ``name:`` field (name matched case-insensitively, any spacing
    around the colon), stripped; None when absent."""
    wanted = name.lower()
    for line in headers:
        field, colon, value = line.partition(":")
        if colon and field.strip().lower() == wanted:
            return value.strip()
    return None


def next_hop(
    code: int, location: str | None, method: int, current: Target, headers: Iterable[str], body: bytes
) -> Hop | None:
    """The request that follows a ``code`` response carrying ``location``, or None when the
    response is final (not a redirect code, no usable Location)."""
    if code not in REDIRECT_CODES or not location:
        return None
    try:
        target = parse_url(resolve(current.url(), location))
    except (URLError, ValueError):
        return None
    new_method, new_body, kept = method, body, list(headers)
    if code == 303 or (code in (301, 302) and method == METHOD_POST):
        new_method = METHOD_HEAD if method == METHOD_HEAD else METHOD_GET
        new_body = b""
        kept = [h for h in kept if _name(h) not in CONTENT_HEADERS]
    cross = target.origin != current.origin
    if cross:
        kept = [h for h in kept if _name(h) not in CROSS_ORIGIN_DROPPED]
    return Hop(new_method, target, tuple(kept), new_body, cross)
