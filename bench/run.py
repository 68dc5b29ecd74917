"""Driver of tools/bench (runs inside the sysroot): serve files with nginx on loopback (plain and
TLS, sendfile on), run bench.gd in one headless Godot process, stop nginx. See docs/benchmarks.md.

Usage: python3 bench/run.py [--quick] [--only NAME[,NAME...]] [--rounds N] [--speed-rounds N] [--class NAME]
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MiB = 1 << 20

NGINX_CONF = """\
daemon off;
master_process on;
user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 10000000;
    keepalive_timeout 600s;
    default_type application/octet-stream;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server {{
        listen 127.0.0.1:{plain} backlog=4096;
        root {tmp}/www;
    }}
    server {{
        listen 127.0.0.1:{tls} ssl backlog=4096;
        ssl_certificate {tmp}/cert.pem;
        ssl_certificate_key {tmp}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_tickets off;
        ssl_session_cache off;
        root {tmp}/www;
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_files(www: str) -> None:
    os.makedirs(www)
    block = os.urandom(MiB)
    with open(os.path.join(www, "big.bin"), "wb") as f:
        for _ in range(256):
            f.write(block)
    with open(os.path.join(www, "mid.bin"), "wb") as f:
        f.write(block)
    with open(os.path.join(www, "small.bin"), "wb") as f:
        f.write(block[:100])


def make_cert(tmp: str) -> None:
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            f"{tmp}/key.pem",
            "-out",
            f"{tmp}/cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_listening(port: int, deadline: float) -> None:
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: nginx did not listen on {port}") from None
            time.sleep(0.05)


def main(argv) -> int:
    tmp = tempfile.mkdtemp(prefix="godot-bench-")
    nginx = None
    try:
        write_files(os.path.join(tmp, "www"))
        make_cert(tmp)
        plain, tls = free_port(), free_port()
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, plain=plain, tls=tls))
        nginx = subprocess.Popen(
            ["/usr/sbin/nginx", "-p", tmp, "-c", conf, "-e", f"{tmp}/error.log"], start_new_session=True
        )
        deadline = time.monotonic() + 10
        wait_listening(plain, deadline)
        wait_listening(tls, deadline)
        env = dict(
            os.environ,
            BENCH_PLAIN_PORT=str(plain),
            BENCH_TLS_PORT=str(tls),
            BENCH_CA=f"{tmp}/cert.pem",
            BENCH_ARGS=" ".join(argv),
        )
        godot = os.environ.get("GODOT", "godot")
        cmd = [godot, "--headless", "--path", HERE, "--script", os.environ.get("BENCH_SCRIPT", "res://bench.gd")]
        return subprocess.run(cmd, env=env).returncode
    finally:
        if nginx is not None:
            os.killpg(nginx.pid, signal.SIGQUIT)
            try:
                nginx.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(nginx.pid, signal.SIGKILL)
                nginx.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
