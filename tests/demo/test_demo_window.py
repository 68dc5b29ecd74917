"""The demo window as a person sees it: rendered under Xvfb, a request made, a screenshot.

Each test starts demo_project's main scene with `-- --send ... --screenshot PNG`: main.gd
presses Send once the window is up, waits for the response, saves the window to PNG and
prints what its labels show (a `DEMO_UI {json}` line). The tests check both the labels and
that the picture is not blank; the PNGs stay in build/screenshots/ for people to look at.
"""

from __future__ import annotations

import json

import pytest
from demo_helpers import WINDOW_FLAGS, WINDOW_SIZE, run_window
from demo_png import read_png

pytestmark = [pytest.mark.godot, pytest.mark.slow]


def _show(demo_project, display, png, *user_args):
    png.unlink(missing_ok=True)
    run = run_window(
        [
            "--path",
            demo_project,
            *WINDOW_FLAGS,
            "--resolution",
            "%dx%d" % WINDOW_SIZE,
            "--",
            "--send",
            "--screenshot",
            png,
            *user_args,
        ],
        display,
        timeout=60,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("DEMO_UI ")]
    assert run.exit_code == 0 and lines, f"the demo window did not finish ({run.exit_code}):\n{run.output[-3000:]}"
    assert "SCRIPT ERROR" not in run.output, run.output[-3000:]
    return json.loads(lines[-1][len("DEMO_UI ") :]), run


def _assert_not_blank(png):
    picture = read_png(png.read_bytes())
    assert (picture.width, picture.height) == WINDOW_SIZE
    mean, deviation, colours = picture.luminance_stats()
    # A blank or one-colour window has no deviation; the demo's text and widgets give plenty.
    assert deviation > 15 and colours > 50, f"{png} looks blank: mean {mean:.0f}, sd {deviation:.1f}, {colours} colours"
    return picture


def test_demo_window_shows_a_tls_post_response(demo_project, demo_servers, xvfb_display, screenshots):
    png = screenshots / "demo.png"
    ui, _ = _show(
        demo_project,
        xvfb_display,
        png,
        "--url",
        f"{demo_servers.tls_url}/echo",
        "--ca",
        demo_servers.ca_file,
        "--method",
        "POST",
        "--header",
        "Content-Type: text/plain",
        "--header",
        "X-Demo-Client: godot window",
        "--body",
        "hello from GDScript",
    )
    assert ui["code"] == "200"
    assert ui["error"] == ""
    assert ui["client"].startswith("PyHTTPClient")
    # STATUS_REQUESTING shows only when the response has not arrived by the next poll.
    statuses = [s for s in ui["status_line"].split(": ", 1)[1].split("  >  ") if s != "STATUS_REQUESTING"]
    assert statuses == ["STATUS_RESOLVING", "STATUS_CONNECTING", "STATUS_CONNECTED", "STATUS_BODY", "STATUS_CONNECTED"]
    assert ["Content-Type", "application/json"] in ui["headers"]
    assert '"method": "POST"' in ui["body"] and "hello from GDScript" in ui["body"]
    assert ui["progress"] == 1.0 and "/s" in ui["progress_text"]
    assert ui["spinner"].startswith("done in")  # the Python ActivitySpinner stopped
    _assert_not_blank(png)


def test_demo_window_shows_a_refused_connection_in_words(demo_project, demo_servers, xvfb_display, screenshots):
    png = screenshots / "demo_error.png"
    ui, _ = _show(demo_project, xvfb_display, png, "--url", f"http://127.0.0.1:{demo_servers.closed_port}/")
    assert ui["code"] == "---"
    assert ui["error"].startswith("Error: cannot connect to 127.0.0.1 port")
    assert ui["status_line"].endswith("STATUS_CANT_CONNECT")
    assert ui["spinner"].startswith("failed after")
    _assert_not_blank(png)


def test_demo_window_shows_an_untrusted_certificate_in_words(demo_project, demo_servers, xvfb_display, screenshots):
    png = screenshots / "demo_tls_error.png"
    ui, run = _show(demo_project, xvfb_display, png, "--url", f"{demo_servers.tls_url}/", "--client", "builtin")
    assert ui["client"].startswith("HTTPClient (built-in)")
    assert ui["error"].startswith("Error: TLS handshake failed")
    assert ui["status_line"].endswith("STATUS_TLS_HANDSHAKE_ERROR")


def test_demo_window_shows_download_progress_and_the_python_spinner(
    demo_project, demo_servers, xvfb_display, screenshots
):
    midway = screenshots / "demo_download.png"
    midway.unlink(missing_ok=True)
    ui, run = _show(
        demo_project,
        xvfb_display,
        screenshots / "demo_download_done.png",
        "--url",
        f"{demo_servers.plain_url}/slow?seconds=3",
        "--midway-screenshot",
        midway,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("DEMO_MIDWAY_UI ")]
    assert lines, run.output[-3000:]
    during = json.loads(lines[-1][len("DEMO_MIDWAY_UI ") :])
    assert 0.4 <= during["progress"] < 1.0
    assert " of 256.0 KiB" in during["progress_text"] and "/s" in during["progress_text"]
    assert during["spinner"][:1] in "|/-\\" and "receiving" in during["spinner"]  # spinning
    assert ui["code"] == "200" and ui["progress"] == 1.0
    assert "binary" not in ui["body"] and ui["body"].startswith("00000000  00 01 02 03")  # hex
    _assert_not_blank(midway)


def test_demo_window_shows_a_pyhttprequest_download_with_its_progress_bar(
    demo_project, demo_servers, xvfb_display, screenshots
):
    midway = screenshots / "demo_request_node.png"
    midway.unlink(missing_ok=True)
    ui, run = _show(
        demo_project,
        xvfb_display,
        screenshots / "demo_request_node_done.png",
        "--url",
        f"{demo_servers.plain_url}/slow?seconds=3",
        "--client",
        "node",
        "--midway-screenshot",
        midway,
    )
    lines = [line for line in run.stdout.splitlines() if line.startswith("DEMO_MIDWAY_UI ")]
    assert lines, run.output[-3000:]
    during = json.loads(lines[-1][len("DEMO_MIDWAY_UI ") :])
    assert during["client"] == "PyHTTPRequest (node)"
    assert 0.4 <= during["progress"] < 1.0  # driven by request_progress(downloaded, body_size)
    assert " of 256.0 KiB" in during["progress_text"] and "/s" in during["progress_text"]
    assert during["spinner"][:1] in "|/-\\"  # the window keeps drawing while the node downloads
    assert ui["code"] == "200" and ui["progress"] == 1.0 and ui["error"] == ""
    assert ui["body"].startswith("00000000  00 01 02 03")
    _assert_not_blank(midway)
