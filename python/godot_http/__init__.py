"""godot_http: Godot 4.6's ``HTTPClient`` re-implemented in pure Python (no Godot needed).

Layers, bottom up: ``protocol`` (sans-IO HTTP/1.1 core), ``stream`` (TCP/TLS streams and the
``Stream`` interface), ``_resolver`` (process-wide async resolver), ``client`` (the facade with
Godot's names). ``constants`` holds Godot's enums, ``tls`` the TLS options, ``environment`` the
host services (error printing, User-Agent, CA bundle, Variant-to-String).
"""

from .client import HTTPClient
from .constants import Error, Method, ResponseCode, Status
from .environment import Environment
from .stream import Stream
from .tls import TLSOptions

__all__ = ["HTTPClient", "Environment", "TLSOptions", "Stream", "Error", "Status", "Method", "ResponseCode"]
