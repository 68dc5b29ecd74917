"""Request checks and serialisation (spec 5.2 and 5.3), as pure functions.

``check_request(method, url, headers)`` returns ``None`` when the request may be sent, otherwise
``(error_code, message)`` with Godot's message texts, checked in Godot's order. On top of the
built-in's checks it refuses CR, LF and NUL in the URL and in header entries (the built-in sends
them verbatim, which allows header injection): these get ``ERR_INVALID_PARAMETER`` too.
(The status check sits between the URL and header checks in Godot; the facade does it, so
``check_url`` and ``check_headers`` are separate.)

``serialize_request(...)`` builds the exact bytes: request line, caller headers verbatim and in
order, then ``Host``, ``Content-Length`` (non-empty body only), ``User-Agent`` and ``Accept: */*``,
each only if no caller entry starts with ``Name:`` (case-insensitive prefix, colon included,
no leading-space trimming), a blank line, the body.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ._text import GODOT_WHITESPACE, ascii_lower
from .constants import METHOD_TOKENS

__all__ = [
    "check_method",
    "check_url",
    "check_headers",
    "check_content_length",
    "serialize_request",
    "host_header_value",
    "host_authority",
    "percent_encode_non_ascii",
    "has_control",
    "ERR_INVALID_PARAMETER",
]

ERR_INVALID_PARAMETER = 31
METHOD_CONNECT = 7
METHOD_OPTIONS = 5
METHOD_MAX = 9

#: Why a request may not be sent: ``(error code, Godot's message)``; ``None`` when it may.
Refusal = tuple[int, str] | None


def has_control(s: str) -> bool:
    """True if ``s`` holds CR, LF or NUL (the characters that split or truncate a header)."""
    return "\r" in s or "\n" in s or "\0" in s


def check_method(method: int) -> Refusal:
    if not isinstance(method, int) or not 0 <= method < METHOD_MAX:
        return ERR_INVALID_PARAMETER, f"Index p_method = {method} is out of bounds (METHOD_MAX = {METHOD_MAX})."
    return None


def _url_ok(method: int, url: str) -> bool:
    if method == METHOD_CONNECT:
        p = url.find(":")
        return 0 < p < len(url) - 1
    if method == METHOD_OPTIONS and url == "*":
        return True
    return url.startswith(("/", "http://", "https://"))


def check_url(method: int, url: object) -> Refusal:
    if not isinstance(url, str):
        return ERR_INVALID_PARAMETER, "request: url must be a String."
    if not _url_ok(method, url):
        return ERR_INVALID_PARAMETER, (
            'Condition "!_check_request_url(p_method, p_url)" is true. Returning: ERR_INVALID_PARAMETER'
        )
    if has_control(url):
        return ERR_INVALID_PARAMETER, "Invalid request URL: it contains CR, LF or NUL (header injection refused)."
    return None


def check_headers(headers: Sequence[str]) -> Refusal:
    for i, entry in enumerate(headers):
        stripped = entry.strip(GODOT_WHITESPACE)
        if not stripped:
            return ERR_INVALID_PARAMETER, f"Invalid HTTP header at index {i}: empty."
        if stripped.find(":") <= 0:
            return ERR_INVALID_PARAMETER, (
                f"Invalid HTTP header at index {i}: String must contain header-value "
                f"pair, delimited by ':', but was: '{entry}'."
            )
        if has_control(entry):
            return ERR_INVALID_PARAMETER, (
                f"Invalid HTTP header at index {i}: it contains CR, LF or NUL (header injection refused)."
            )
    return None


def check_content_length(headers: Sequence[str], body_length: int) -> Refusal:
    """A caller ``Content-Length`` must be plain ASCII digits equal to the body's length.

    The built-in sends it verbatim: a smaller value makes the rest of the body a second request
    (request smuggling), a larger one leaves the server waiting. Every entry whose name (before
    the colon, whitespace stripped, ASCII case-insensitive) is ``content-length`` is checked.
    """
    for i, entry in enumerate(headers):
        colon = entry.find(":")
        if colon <= 0 or ascii_lower(entry[:colon].strip(GODOT_WHITESPACE)) != "content-length":
            continue
        value = entry[colon + 1 :].strip(GODOT_WHITESPACE)
        if not (value.isascii() and value.isdigit()) or len(value) > 18 or int(value) != body_length:
            return ERR_INVALID_PARAMETER, (
                f"Invalid HTTP header at index {i}: Content-Length {value[:40]!r} "
                f"disagrees with the body length {body_length}."
            )
    return None


def host_authority(conn_host: str) -> str:
    """The host as a URI authority writes it: IPv6 literals in brackets (RFC 3986 3.2.2)."""
    return f"[{conn_host}]" if ":" in conn_host else conn_host


@functools.lru_cache(maxsize=64)
def host_header_value(conn_host: str, conn_port: int, tls: bool) -> str:
    """``Host``: the host, bracketed when it is an IPv6 literal (the built-in sends ``::1:8080``,
    which servers refuse), plus ``:port`` unless it is the scheme's default."""
    host = host_authority(conn_host)
    if (tls and conn_port == 443) or (not tls and conn_port == 80):
        return host
    return f"{host}:{conn_port}"


def percent_encode_non_ascii(target: str) -> str:
    """Every non-ASCII character of a request target as its UTF-8 bytes percent-encoded
    (``/café`` -> ``/caf%C3%A9``), as browsers do; ASCII (including ``%``) is left alone.
    The built-in sends raw UTF-8, which most servers answer with 400."""
    out = []
    for ch in target:
        if ch < "\x80":
            out.append(ch)
        else:
            out.append("".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")))
    return "".join(out)


def serialize_request(
    method: int, target: str, headers: Sequence[str], body: bytes, host: str, user_agent: str
) -> bytes:
    add_host = add_length = add_agent = add_accept = True
    for h in headers:
        p = ascii_lower(h[:15])
        if p.startswith("host:"):
            add_host = False
        elif p.startswith("content-length:"):
            add_length = False
        elif p.startswith("user-agent:"):
            add_agent = False
        elif p.startswith("accept:"):
            add_accept = False
    parts = [METHOD_TOKENS[method], " ", target, " HTTP/1.1\r\n"]
    for h in headers:
        parts.append(h)
        parts.append("\r\n")
    if add_host:
        parts.append(f"Host: {host}\r\n")
    if body and add_length:
        parts.append(f"Content-Length: {len(body)}\r\n")
    if add_agent:
        parts.append(f"User-Agent: {user_agent}\r\n")
    if add_accept:
        parts.append("Accept: */*\r\n")
    parts.append("\r\n")
    head = "".join(parts).encode("utf-8", "surrogatepass")
    return head + body if body else head
