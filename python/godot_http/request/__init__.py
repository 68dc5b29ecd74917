"""The request node's core: Godot's ``HTTPRequest`` logic over ``godot_http.HTTPClient``,
without Godot (the node is addons/godot_python/classes/py_http_request.py).

``_url`` parses request URLs and resolves ``Location`` (RFC 3986), ``_redirect`` decides what
a redirect's next request is (RFC 9110 15.4), ``_decode`` decodes gzip/deflate as the body
streams in, ``_sink`` puts the body in memory or in ``download_file``, ``transfer`` steps one
request to its ``Completion`` over a ``Session`` that keeps the connection for the next one.
"""

from ._decode import DecodeError, Decoder, decoder_for
from ._redirect import Hop, next_hop
from ._url import Target, URLError, parse_url, resolve
from .results import Completion, Result
from .transfer import Session, Settings, Transfer

__all__ = [
    "Completion",
    "Decoder",
    "DecodeError",
    "Hop",
    "Result",
    "Session",
    "Settings",
    "Target",
    "Transfer",
    "URLError",
    "decoder_for",
    "next_hop",
    "parse_url",
    "resolve",
]
