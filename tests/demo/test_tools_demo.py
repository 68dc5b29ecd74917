"""tools/demo's part after set-up (tools/demo_driver.py): the local server, the plan of
requests in headless Godot through PyHTTPClient, what it prints, its exit code.

tools/demo itself only adds the set-up (sysroot, build, import) that tools/test has
already done before these tests run.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from demo_helpers import REPO

pytestmark = [pytest.mark.godot, pytest.mark.slow]

DRIVER = REPO / "tools" / "demo_driver.py"


def _driver(*args, timeout=90):
    return subprocess.run(
        [sys.executable, str(DRIVER), *args], capture_output=True, text=True, timeout=timeout, cwd=REPO
    )


def test_demo_runs_every_local_request_and_exits_0(demo_project):
    run = _driver()
    out = run.stdout
    assert run.returncode == 0, out[-4000:] + run.stderr[-2000:]
    assert "all 11 requests ended as expected" in out
    blocks = out.split("\n== ")[1:]
    assert len(blocks) == 11
    # STATUS_REQUESTING shows only when the response has not arrived by the next poll: on
    # loopback it often has (the same holds for the built-in HTTPClient), so it is optional.
    full = "STATUS_CONNECTING -> STATUS_CONNECTED -> (STATUS_REQUESTING -> )?STATUS_BODY -> STATUS_CONNECTED"
    page, post, chunked, binary, download, builtin, slow, tls, untrusted, refused, node = blocks
    assert re.search(full, page) and "response: 200, 488 B" in page and "| <!doctype html>" in page
    assert '"body": "hello from GDScript"' in post and '"method": "POST"' in post
    assert "(chunked)" in chunked and "chunk 5 of 5" in chunked
    assert "binary, hex" in binary and "00 01 02 03" in binary
    assert "via PyHTTPClient" in download and "10.0 MiB (Content-Length 10485760)" in download
    assert re.search(r"progress: +100%", download)
    assert "via HTTPClient" in builtin and "10.0 MiB" in builtin
    assert "256.0 KiB" in slow
    assert re.search("STATUS_RESOLVING -> " + full, tls) and "trusting the demo's CA" in tls
    assert "STATUS_TLS_HANDSHAKE_ERROR" in untrusted and "error:    TLS handshake failed" in untrusted
    assert "STATUS_CANT_CONNECT" in refused and "error:    cannot connect to 127.0.0.1" in refused
    assert "via PyHTTPRequest (node)" in node and "10.0 MiB (Content-Length 10485760)" in node
    assert len(re.findall(r"progress: +\d+%", node)) >= 2 and re.search(r"progress: +100%", node), node
    for block in blocks[:8] + [node]:
        assert re.search(r"response: 200, .* in \d+ ms, [\d.]+ [KMG]?i?B/s", block), block
        # A healthy request prints nothing from the engine: no error line, no "Unicode parsing
        # error ... Unexpected NUL character" (X509Certificate.save_to_string() printed it on
        # the first HTTPS connection with a custom CA).
        assert "(engine log)" not in block, block
    assert "Unicode parsing error" not in out + run.stderr


def test_demo_url_option_fetches_that_url_with_the_chosen_client(demo_project, demo_servers):
    run = _driver(
        "--url",
        f"{demo_servers.plain_url}/echo",
        "--method",
        "PUT",
        "--header",
        "X-A: b",
        "--data",
        "payload",
        "--client",
        "builtin",
    )
    assert run.returncode == 0, run.stdout[-3000:]
    assert "demo: local servers" not in run.stdout  # --url starts no server
    assert "via HTTPClient" in run.stdout and '"method": "PUT"' in run.stdout
    assert "all 1 requests ended as expected" in run.stdout


def test_demo_url_option_exits_1_when_the_request_fails(demo_project, demo_servers):
    run = _driver("--url", f"http://127.0.0.1:{demo_servers.closed_port}/")
    assert run.returncode == 1
    assert "error:    cannot connect" in run.stdout
