"""A small Debug Adapter Protocol client over a TCP socket (what VS Code does when it attaches).

Messages are JSON bodies behind a `Content-Length` header. `request()` sends a request and
returns its response, keeping the events that arrive meanwhile; `wait_event()` returns the next
event of a kind (from those kept, or read until it arrives).
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any

HEADER_END = b"\r\n\r\n"


class DapError(AssertionError):
    pass


class DapClient:
    def __init__(self, sock: socket.socket, timeout: float) -> None:
        self.sock = sock
        self.timeout = timeout
        self.seq = 0
        self.buffer = b""
        self.events: list[dict[str, Any]] = []

    @classmethod
    def connect(cls, host: str, port: int, timeout: float = 60.0) -> DapClient:
        """Connects, retrying while the adapter is not listening yet."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                sock = socket.create_connection((host, port), timeout=2)
                sock.settimeout(timeout)
                return cls(sock, timeout)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def close(self) -> None:
        self.sock.close()

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def read_message(self) -> dict[str, Any]:
        while HEADER_END not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(HEADER_END, 1)
        length = next(
            int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
        )
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return json.loads(body)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise DapError("the debug adapter closed the connection")
        self.buffer += chunk

    def request(self, command: str, arguments: dict[str, Any] | None = None, wait: bool = True) -> dict[str, Any] | int:
        self.seq += 1
        seq = self.seq
        self.send({"seq": seq, "type": "request", "command": command, "arguments": arguments or {}})
        return self.response(seq) if wait else seq

    def response(self, seq: int) -> dict[str, Any]:
        while True:
            message = self.read_message()
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("type") == "response" and message.get("request_seq") == seq:
                if not message.get("success"):
                    raise DapError(f"{message.get('command')} failed: {message.get('message')} {message.get('body')}")
                return message

    def wait_event(self, name: str) -> dict[str, Any]:
        for index, event in enumerate(self.events):
            if event.get("event") == name:
                return self.events.pop(index)
        while True:
            message = self.read_message()
            if message.get("type") == "event" and message.get("event") == name:
                return message
            if message.get("type") == "event":
                self.events.append(message)
