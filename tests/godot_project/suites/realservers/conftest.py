"""Real HTTP servers for the real-server suite (HTTPClient vs PyHTTPClient in one headless
Godot, issue 13 part 4). launch.py starts them; exchanges.json says what each client does;
test_realservers.gd (plain HTTP) and test_realservers_tls.gd (TLS, marked slow) compare
the two classes' traces per server, then the two request nodes' (realserver_suite.gd).

Godot inherits these environment variables:

    REAL_SERVERS    JSON list: name, kind ("static" or "app"), port, tls_port (0: no TLS), version
    REAL_CA_FILE    the test CA (PEM) that issued every server's certificate (for "localhost")
    REAL_IMS        the If-Modified-Since value equal to the static files' mtime (for 304)
    REAL_DOCS       absolute path of docs/http-differences.md (documented rows)
    REAL_SUMMARY    where the suites write their summary lines (REAL_SUMMARY.plain, .tls; pytest
                    prints them at the end)

Static servers serve `www/`: small.txt (100 bytes), big.bin (1 MiB), caf\u00e9.txt (a UTF-8 name),
all with the mtime REAL_IMS names.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from email.utils import formatdate
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
sys.path.insert(0, str(HERE))
import launch  # noqa: E402
from apps import body_of  # noqa: E402
from harness.background import BackgroundServers  # noqa: E402

MTIME = 1577836800  # 2020-01-01 00:00:00 UTC


def start_servers() -> list[launch.Server]:
    import trustme

    folder = Path(tempfile.mkdtemp(prefix="realservers-"))
    folder.chmod(0o755)  # apache's workers (www-data) read www/
    www = folder / "www"
    www.mkdir()
    files = {"small.txt": body_of(100), "big.bin": body_of(1 << 20), "caf\u00e9.txt": b"caf\xc3\xa9\n"}
    for name, data in files.items():
        path = www / name
        path.write_bytes(data)
        path.chmod(0o644)
        os.utime(path, (MTIME, MTIME))
    ca = trustme.CA()
    leaf = ca.issue_cert("localhost")
    cert, key = folder / "server.crt", folder / "server.key"
    cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
    key.write_bytes(leaf.private_key_pem.bytes())
    (folder / "ca.crt").write_bytes(ca.cert_pem.bytes())
    servers = launch.start_all(folder, www, cert, key)
    os.environ.update(
        {
            "REAL_SERVERS": json.dumps([s.describe() for s in servers]),
            "REAL_CA_FILE": str(folder / "ca.crt"),
            "REAL_IMS": formatdate(MTIME, usegmt=True),
            "REAL_DOCS": str(REPO / "docs" / "http-differences.md"),
            "REAL_SUMMARY": str(folder / "summary.txt"),
        }
    )
    return servers


SERVERS = BackgroundServers(start_servers)


def pytest_runtest_setup(item) -> None:
    SERVERS.ensure_started()


def pytest_sessionfinish(session) -> None:
    SERVERS.stop()


def pytest_collection_modifyitems(config, items) -> None:
    """The TLS half (test_realservers_tls.gd, about 18 s) is `slow`: `-m "not slow"` skips it."""
    for item in items:
        if item.path.name == "test_realservers_tls.gd":
            item.add_marker("slow")


def pytest_terminal_summary(terminalreporter) -> None:
    summary = os.environ.get("REAL_SUMMARY")
    if not summary:
        return
    for part in sorted(Path(summary).parent.glob(Path(summary).name + ".*")):
        for line in part.read_text().splitlines():
            terminalreporter.write_line(line)
