"""Named limits of the HTTP/1.1 response reader, each with its precedent.

The built-in Godot client has none of the header limits (its accumulator grows without bound);
these are the hardened defaults of issue 6. Crossing any of them raises ``LimitExceeded`` at once,
with a message that names the constant.
"""

#: Longest status line, CRLF included. Precedent: nginx ``large_client_header_buffers`` 8k,
#: Apache ``LimitRequestLine`` 8190, h11 uses 16 KiB for the whole head.
MAX_STATUS_LINE = 8 * 1024
#: Longest single header line. Precedent: Node.js ``--max-http-header-size`` was 8-16 KiB; we are
#: generous because cookies and CSP headers grow; 64 KiB is curl's ``CURL_MAX_HTTP_HEADER``/2.
MAX_HEADER_LINE = 64 * 1024
#: Whole header block, summed over every interim (1xx) head and the final head of one response,
#: and over the CONNECT reply of an HTTPS proxy. Precedent: curl's 300 KiB total header cap.
MAX_HEAD_BLOCK = 256 * 1024
#: Header lines per head (status line excluded). Precedent: Go net/http ``maxHeaderLines``-style
#: caps; urllib3/http.client use 100, we allow 256.
MAX_HEADERS = 256
#: Interim 1xx responses tolerated before the final one. Precedent: none standard; 5 is far above
#: anything real (100 Continue + 103 Early Hints).
MAX_INTERIM_RESPONSES = 5
#: Chunk-size line including extensions and CRLF. Precedent: the built-in allows 32 bytes and no
#: extensions at all; 4 KiB admits real extensions (RFC 9112 7.1.1) and stays bounded.
MAX_CHUNK_SIZE_LINE = 4 * 1024
#: Largest single chunk. Precedent: the built-in's cap (``1 << 24``, "HTTP Chunk too big!! >16mb").
MAX_CHUNK_SIZE = 1 << 24
#: Largest Content-Length we accept as a number (int64 like Godot's ``body_size``).
MAX_CONTENT_LENGTH = (1 << 63) - 1
