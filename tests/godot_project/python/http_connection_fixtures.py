"""Python side of res://suites/http/test_pyhttpclient_connection.gd: how PyHTTPClient finds the
socket of the engine's StreamPeerTCP (decision 0009), including wrong guesses."""

import os
import socket
import time

import godot
import py_http_client
from godot import RefCounted, method

_PROC_FDS = "/proc/self/fd"


def _open_fds() -> int:
    return len(os.listdir(_PROC_FDS))


class PyAdoptProbe(RefCounted):
    """Connects a real StreamPeerTCP to a loopback listener and looks for its socket."""

    @method
    def cases(self) -> str:
        out = []
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(4)
            port = listener.getsockname()[1]
            peer = godot.StreamPeerTCP()
            peer.connect_to_host("127.0.0.1", port)
            deadline = time.monotonic() + 5
            while peer.get_status() == 1 and time.monotonic() < deadline:
                peer.poll()
            out.append(f"status {peer.get_status()}")
            server_side, _ = listener.accept()
            other = socket.create_connection(("127.0.0.1", port))  # same server, another local port
            other_server, _ = listener.accept()
            read_end, write_end = os.pipe()  # descriptors that are no socket
            try:
                # Every guess wrong (a pipe, another connection to the same server): the scan finds it.
                py_http_client._recent_fds[:] = [write_end, other.fileno()]
                before = _open_fds()
                sock = py_http_client._adopt_socket(peer, "127.0.0.1", port, read_end)
                found = py_http_client._recent_fds[0]
                out.append(f"scan {sock is not None} {_open_fds() - before}")
                if sock is not None:
                    out.append(f"port {sock.getsockname()[1] == peer.get_local_port()}")
                    # Non-blocking without a call of its own: the engine's socket is, and so the duplicate.
                    out.append(f"nonblocking {sock.gettimeout()} {os.get_blocking(sock.fileno())}")
                    server_side.sendall(b"ping")
                    sock.settimeout(5)
                    out.append(f"reads {sock.recv(4)!r}")
                    sock.close()
                # The right guess first: found without the scan (no listing of /proc/self/fd).
                listdir = os.listdir
                calls = []
                os.listdir = lambda path: calls.append(path) or listdir(path)
                try:
                    sock = py_http_client._adopt_socket(peer, "127.0.0.1", port, found)
                finally:
                    os.listdir = listdir
                out.append(f"guess {sock is not None} scans {len(calls)}")
                if sock is not None:
                    sock.close()
                # No socket goes there: None, and nothing left open.
                before = _open_fds()
                sock = py_http_client._adopt_socket(peer, "127.0.0.1", port + 1 if port < 65535 else 1, read_end)
                out.append(f"missing {sock} {_open_fds() - before}")
            finally:
                for fd in (read_end, write_end):
                    os.close(fd)
                other.close()
                other_server.close()
                server_side.close()
                peer.disconnect_from_host()
        return "|".join(out)

    @method
    def lowest_free_fd_is_next(self) -> bool:
        """The guess is the descriptor the next socket gets."""
        guess = py_http_client._lowest_free_fd()
        with socket.socket() as sock:
            return sock.fileno() == guess
