"""Starts the real servers of the suite as child processes on free loopback ports, each with a
configuration written here (nothing of the sysroot's own configuration is used):

    nginx     static files, plain and TLS (nginx-light)
    lighttpd  static files, plain and TLS (lighttpd, lighttpd-mod-openssl)
    apache    static files, plain and TLS (apache2-bin; workers run as www-data)
    gunicorn  apps.wsgi_app, sync worker (no keep-alive), plain and TLS (python3-gunicorn)
    waitress  apps.wsgi_app, plain (python3-waitress has no TLS)
    uvicorn   apps.asgi_app, plain and TLS (python3-uvicorn)

Every server is a `Server` (name, kind "static" or "app", port, tls_port or 0, version); close()
stops its processes. A server that does not come up is a failure, with its log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STARTUP_TIMEOUT = 20.0
MODULES = "/usr/lib/apache2/modules"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (out.stdout + out.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


class Server:
    def __init__(self, name: str, kind: str, version: str, folder: Path) -> None:
        self.name, self.kind, self.version, self.folder = name, kind, version, folder
        self.port = 0
        self.tls_port = 0
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def spawn(self, argv: list[str], **kw) -> None:
        log = self.folder / f"{self.name}-{len(self.procs)}.log"
        self.logs.append(log)
        with open(log, "wb") as out:
            self.procs.append(
                subprocess.Popen(
                    argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, **kw
                )
            )

    def wait_ready(self, deadline: float) -> None:
        for port in (self.port, self.tls_port):
            while port:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    break
                except OSError:
                    dead = [p for p in self.procs if p.poll() is not None]
                    if dead or time.monotonic() > deadline:
                        self.close()
                        logs = "\n".join(log.read_text(errors="replace")[-2000:] for log in self.logs if log.exists())
                        raise RuntimeError(f"{self.name} did not start on port {port}:\n{logs}") from None
                    time.sleep(0.05)

    def describe(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "port": self.port,
            "tls_port": self.tls_port,
            "version": self.version,
        }

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except OSError:
                    pass
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        self.procs = []


def nginx(folder: Path, www: Path, cert: Path, key: Path) -> Server:
    s = Server("nginx", "static", _version(["/usr/sbin/nginx", "-v"]).replace("nginx version: ", ""), folder)
    s.port, s.tls_port = free_port(), free_port()
    prefix = folder / "nginx"
    prefix.mkdir()
    temps = "".join(f"{k}_temp_path {prefix}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    site = f"root {www}; location = /nocontent {{ return 204; }}"
    (prefix / "nginx.conf").write_text(f"""
daemon off; master_process off; pid {prefix}/nginx.pid; error_log {prefix}/error.log;
events {{ worker_connections 256; }}
http {{ access_log off; sendfile on; keepalive_timeout 5s; {temps}
  types {{ text/plain txt; application/octet-stream bin; }}
  server {{ listen 127.0.0.1:{s.port}; listen [::1]:{s.port}; {site} }}
  server {{ listen 127.0.0.1:{s.tls_port} ssl; ssl_certificate {cert}; ssl_certificate_key {key}; {site} }}
}}""")
    s.spawn(["/usr/sbin/nginx", "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", "stderr"])
    return s


def lighttpd(folder: Path, www: Path, cert: Path, key: Path) -> Server:
    s = Server("lighttpd", "static", _version(["/usr/sbin/lighttpd", "-v"]).split(" - ")[0], folder)
    s.port, s.tls_port = free_port(), free_port()
    conf = folder / "lighttpd.conf"
    conf.write_text(f"""
server.document-root = "{www}"
server.bind = "127.0.0.1"
server.port = {s.port}
server.errorlog = "{folder}/lighttpd-error.log"
server.modules += ( "mod_openssl" )
mimetype.assign = ( ".txt" => "text/plain", ".bin" => "application/octet-stream" )
$SERVER["socket"] == "127.0.0.1:{s.tls_port}" {{
  ssl.engine = "enable"
  ssl.pemfile = "{cert}"
  ssl.privkey = "{key}"
}}
""")
    s.spawn(["/usr/sbin/lighttpd", "-D", "-f", str(conf)])
    return s


def apache(folder: Path, www: Path, cert: Path, key: Path) -> Server:
    s = Server("apache", "static", _version(["/usr/sbin/apache2", "-v"]).replace("Server version: ", ""), folder)
    s.port, s.tls_port = free_port(), free_port()
    root = folder / "apache"
    root.mkdir()
    (root / "mime.types").write_text("")
    modules = ["mpm_event", "authz_core", "mime", "dir", "ssl", "socache_shmcb"]
    loads = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules)
    (root / "httpd.conf").write_text(f"""
ServerRoot "{root}"
{loads}
User www-data
Group www-data
ServerName localhost
Listen 127.0.0.1:{s.port}
Listen 127.0.0.1:{s.tls_port}
PidFile {root}/httpd.pid
Mutex file:{root}
ErrorLog {root}/error.log
LogLevel warn
TypesConfig {root}/mime.types
AddType text/plain .txt
AddType application/octet-stream .bin
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
DocumentRoot "{www}"
<Directory "{www}">
  Require all granted
</Directory>
<VirtualHost 127.0.0.1:{s.tls_port}>
  SSLEngine on
  SSLCertificateFile {cert}
  SSLCertificateKeyFile {key}
</VirtualHost>
""")
    s.spawn(["/usr/sbin/apache2", "-DFOREGROUND", "-f", str(root / "httpd.conf")])
    return s


def _python_server(name: str, folder: Path, argv_for, tls: bool, cert: Path, key: Path, version: str) -> Server:
    s = Server(name, "app", version, folder)
    s.port = free_port()
    env = dict(os.environ, PYTHONPATH=str(HERE), PYTHONDONTWRITEBYTECODE="1")
    s.spawn(argv_for(s.port, None, None), env=env, cwd=HERE)
    if tls:
        s.tls_port = free_port()
        s.spawn(argv_for(s.tls_port, cert, key), env=env, cwd=HERE)
    return s


def gunicorn(folder: Path, cert: Path, key: Path) -> Server:
    def argv(port, certfile, keyfile):
        out = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
            "apps:wsgi_app",
        ]
        return out + (["--certfile", str(certfile), "--keyfile", str(keyfile)] if certfile else [])

    version = "gunicorn " + _version([sys.executable, "-c", "import gunicorn; print(gunicorn.__version__)"])
    return _python_server("gunicorn", folder, argv, True, cert, key, version)


def waitress(folder: Path) -> Server:
    def argv(port, _certfile, _keyfile):
        return [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "apps:wsgi_app"]

    version = "waitress " + _version(
        [sys.executable, "-c", "import importlib.metadata as m; print(m.version('waitress'))"]
    )
    return _python_server("waitress", folder, argv, False, None, None, version)


def uvicorn(folder: Path, cert: Path, key: Path) -> Server:
    def argv(port, certfile, keyfile):
        out = [
            sys.executable,
            "-m",
            "uvicorn",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "apps:asgi_app",
        ]
        return out + (["--ssl-certfile", str(certfile), "--ssl-keyfile", str(keyfile)] if certfile else [])

    version = "uvicorn " + _version([sys.executable, "-c", "import uvicorn; print(uvicorn.__version__)"])
    return _python_server("uvicorn", folder, argv, True, cert, key, version)


def start_all(folder: Path, www: Path, cert: Path, key: Path) -> list[Server]:
    """Every server, started in parallel, ready (listening) on return."""
    servers = [
        nginx(folder, www, cert, key),
        lighttpd(folder, www, cert, key),
        apache(folder, www, cert, key),
        gunicorn(folder, cert, key),
        waitress(folder),
        uvicorn(folder, cert, key),
    ]
    deadline = time.monotonic() + STARTUP_TIMEOUT
    try:
        for s in servers:
            s.wait_ready(deadline)
    except Exception:
        for s in servers:
            s.close()
        raise
    return servers
