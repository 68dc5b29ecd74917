"""The application the Python servers of the real-server suite run: one WSGI app (gunicorn,
waitress) and the same routes as an ASGI app (uvicorn). Every response is deterministic.

    /text?n=N        200, Content-Length, N bytes (byte i = i % 251)
    /stream?n=N      200, no Content-Length: the server frames it (chunked on HTTP/1.1)
    /echo[/...]      200, text: method, path (as the server decoded it), query, body
    /status/NNN      that status; no body for 204 and 304, else "status NNN"
    /latin1          200 with a header value in Latin-1 (X-Name: café), as httpbin sends
    anything else    404 "not found"
"""

from urllib.parse import parse_qs, unquote_to_bytes

PIECE = 16384


def body_of(n: int) -> bytes:
    pattern = bytes(range(251))
    return (pattern * (n // 251 + 1))[:n]


def _route(method: str, path: str, query: str, body: bytes):
    """(status code, headers as (name, str value) pairs, body bytes or an iterable of pieces)."""
    n = int(parse_qs(query).get("n", ["0"])[0] or 0)
    if path == "/text":
        data = body_of(n)
        return 200, [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(data)))], data
    if path == "/stream":
        data = body_of(n)
        return 200, [("Content-Type", "application/octet-stream")], [data[i : i + PIECE] for i in range(0, n, PIECE)]
    if path == "/echo" or path.startswith("/echo/"):
        text = f"{method} {path}?{query}\nbody={body.decode('latin-1')}\n".encode("utf-8", "surrogateescape")
        return 200, [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))], text
    if path.startswith("/status/"):
        code = int(path[8:])
        if code in (204, 304):
            return code, [], b""
        text = f"status {code}".encode()
        return code, [("Content-Length", str(len(text)))], text
    if path == "/latin1":
        return 200, [("X-Name", "caf\u00e9"), ("Content-Length", "2")], b"ok"
    return 404, [("Content-Length", "9")], b"not found"


_REASONS = {200: "OK", 204: "No Content", 304: "Not Modified", 404: "Not Found", 418: "I'm a teapot"}


def wsgi_app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    code, headers, data = _route(
        environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), body
    )
    start_response(f"{code} {_REASONS.get(code, 'Status')}", headers)
    return [data] if isinstance(data, bytes) else data


async def asgi_app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    # As WSGI's PATH_INFO: percent-decoded, bytes shown as Latin-1.
    raw = scope.get("raw_path") or scope["path"].encode()
    path = unquote_to_bytes(raw).decode("latin-1")
    code, headers, data = _route(scope["method"], path, scope.get("query_string", b"").decode("latin-1"), body)
    await send(
        {
            "type": "http.response.start",
            "status": code,
            "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in headers],
        }
    )
    if isinstance(data, bytes):
        await send({"type": "http.response.body", "body": data})
        return
    for piece in data:
        await send({"type": "http.response.body", "body": piece, "more_body": True})
    await send({"type": "http.response.body", "body": b""})
