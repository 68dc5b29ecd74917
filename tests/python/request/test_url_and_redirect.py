"""Request URLs (Godot's parse_url rules plus IPv6 and query fixes), RFC 3986 resolution of
Location, and the RFC 9110 15.4 redirect policy. Pure functions, no sockets."""

import pytest
from godot_http.request import Target, URLError, next_hop, parse_url, resolve
from godot_http.request._redirect import header_value

BASE = "http://a/b/c/d;p?q"

# RFC 3986 5.4.1 and 5.4.2, every example.
RFC3986_EXAMPLES = {
    "g:h": "g:h",
    "g": "http://a/b/c/g",
    "./g": "http://a/b/c/g",
    "g/": "http://a/b/c/g/",
    "/g": "http://a/g",
    "//g": "http://g",
    "?y": "http://a/b/c/d;p?y",
    "g?y": "http://a/b/c/g?y",
    "#s": "http://a/b/c/d;p?q",
    "g#s": "http://a/b/c/g",
    "g?y#s": "http://a/b/c/g?y",
    ";x": "http://a/b/c/;x",
    "g;x": "http://a/b/c/g;x",
    "g;x?y#s": "http://a/b/c/g;x?y",
    "": "http://a/b/c/d;p?q",
    ".": "http://a/b/c/",
    "./": "http://a/b/c/",
    "..": "http://a/b/",
    "../": "http://a/b/",
    "../g": "http://a/b/g",
    "../..": "http://a/",
    "../../": "http://a/",
    "../../g": "http://a/g",
    "../../../g": "http://a/g",
    "../../../../g": "http://a/g",
    "/./g": "http://a/g",
    "/../g": "http://a/g",
    "g.": "http://a/b/c/g.",
    ".g": "http://a/b/c/.g",
    "g..": "http://a/b/c/g..",
    "..g": "http://a/b/c/..g",
    "./../g": "http://a/b/g",
    "./g/.": "http://a/b/c/g/",
    "g/./h": "http://a/b/c/g/h",
    "g/../h": "http://a/b/c/h",
    "g;x=1/./y": "http://a/b/c/g;x=1/y",
    "g;x=1/../y": "http://a/b/c/y",
    "g?y/./x": "http://a/b/c/g?y/./x",
    "g?y/../x": "http://a/b/c/g?y/../x",
    "g#s/./x": "http://a/b/c/g",
    "g#s/../x": "http://a/b/c/g",
    "http:g": "http:g",
}


@pytest.mark.parametrize("reference,expected", sorted(RFC3986_EXAMPLES.items()))
def test_resolve_follows_rfc3986_examples(reference, expected):
    assert resolve(BASE, reference) == expected


def test_parse_url_like_the_builtin_for_ordinary_urls():
    assert parse_url("http://localhost:8080/a/b?c=d#frag") == Target("http", "localhost", 8080, "/a/b?c=d")
    assert parse_url("https://example.com") == Target("https", "example.com", 443, "/")
    assert parse_url("HTTP://user:pw@host.test/x") == Target("http", "host.test", 80, "/x")


def test_parse_url_fixes_ipv6_literals_and_query_without_path():
    assert parse_url("http://[::1]:8080/x") == Target("http", "::1", 8080, "/x")
    assert parse_url("http://[::1]:8080/x").url() == "http://[::1]:8080/x"
    assert parse_url("http://host.test?x=1") == Target("http", "host.test", 80, "/?x=1")


@pytest.mark.parametrize(
    "url,message",
    [
        ("ftp://host.test/", "Invalid URL scheme: 'ftp://'."),
        ("host.test/x", "Invalid URL scheme: ''."),
        ("http://", "Error parsing URL: 'http://'."),
        ("http://host:99999/", "Error parsing URL: 'http://host:99999/'."),
        ("http://a:b:c/", "Error parsing URL: 'http://a:b:c/'."),
        ("http://[::1/", "Error parsing URL: 'http://[::1/'."),
    ],
)
def test_parse_url_refuses_what_cannot_be_requested(url, message):
    with pytest.raises(URLError) as err:
        parse_url(url)
    assert str(err.value) == message and err.value.code == 31


def test_header_value_accepts_any_spacing_around_the_colon():
    assert header_value(["Location:/x"], "location") == "/x"
    assert header_value(["location :  echo "], "Location") == "echo"
    assert header_value(["X-Location: no"], "Location") is None


HERE = parse_url("http://a.test:8080/dir/page")
CREDS = (
    "Authorization: Basic eA==",
    "Cookie: a=b",
    "Proxy-Authorization: x",
    "Host: a.test:8080",
    "Content-Type: text/plain",
    "X-Keep: 1",
)


@pytest.mark.parametrize(
    "code,method,new_method,keeps_body",
    [
        (301, 2, 0, False),
        (302, 2, 0, False),  # POST -> GET (15.4.2, 15.4.3)
        (301, 3, 3, True),
        (302, 4, 4, True),  # PUT, DELETE stay
        (303, 2, 0, False),
        (303, 3, 0, False),
        (303, 1, 1, False),  # 303: GET (HEAD stays)
        (307, 2, 2, True),
        (308, 3, 3, True),
        (307, 4, 4, True),
    ],
)
def test_redirect_method_and_body_rules(code, method, new_method, keeps_body):
    hop = next_hop(code, "echo", method, HERE, ("Content-Type: text/plain", "X-Keep: 1"), b"data")
    assert hop.method == new_method
    assert hop.body == (b"data" if keeps_body else b"")
    assert ("Content-Type: text/plain" in hop.headers) == keeps_body
    assert "X-Keep: 1" in hop.headers
    assert hop.target == Target("http", "a.test", 8080, "/dir/echo")


@pytest.mark.parametrize("code", [200, 300, 304, 305, 306, 404])
def test_other_codes_are_not_followed(code):
    assert next_hop(code, "/x", 0, HERE, (), b"") is None


@pytest.mark.parametrize("location", ["", "ftp://a.test/", "http://[::1/", "mailto:x@y"])
def test_unusable_location_is_not_followed(location):
    assert next_hop(302, location, 0, HERE, (), b"") is None


def test_credentials_are_dropped_across_origins_only():
    same = next_hop(302, "/other", 0, HERE, CREDS, b"")
    assert not same.cross_origin and set(same.headers) == set(CREDS)
    for location in ("http://b.test:8080/x", "https://a.test:8080/x", "http://a.test:8081/x", "//b.test/x"):
        hop = next_hop(302, location, 0, HERE, CREDS, b"")
        assert hop.cross_origin, location
        assert hop.headers == ("Content-Type: text/plain", "X-Keep: 1"), location
    assert not next_hop(302, "HTTP://A.TEST:8080/x", 0, HERE, CREDS, b"").cross_origin
