"""What tools/demo runs once the set-up is done: the local server, the plan, headless Godot.

    tools/run python3 tools/demo_driver.py [--url URL] [--method M] [--header H]... [--data D]
                                           [--client python|builtin|node]

Without --url it starts tools/demo_server.py's servers on loopback and runs a plan of requests
(a page, a POST, a chunked response, binary, a 10 MiB download with both clients, a slow
response, TLS with the generated CA, two failures shown in words, and the 10 MiB download
through a PyHTTPRequest node) through the demo's
HttpFetch (demo_project/http_fetch.gd) in headless Godot. With --url it runs one request to
that URL instead and starts no server. The exit code is Godot's: 0 when every request ended
as expected.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = REPO / "demo_project"
WORK = REPO / "build" / "demo"
sys.path.insert(0, str(REPO / "tools"))
ENGINE_MESSAGE = re.compile(r"(USER )?(ERROR|WARNING|SCRIPT ERROR):|Unicode parsing error")
ENGINE_DETAIL = re.compile(r"\s+(at:|GDScript backtrace|\[\d+\] )")

import demo_server  # noqa: E402


def godot_command() -> list[str]:
    return [os.environ.get("GODOT") or shutil.which("godot") or str(REPO / "tools" / "godot")]


def local_plan(servers: demo_server.DemoServers, client: str) -> list[dict]:
    plain, tls, ca = servers.plain_url, servers.tls_url, str(servers.ca_file)

    def request(name, url, method="GET", expect="ok", **extra):
        return {"name": name, "url": url, "method": method, "client": client, "expect": expect, **extra}

    return [
        request("a small page", f"{plain}/"),
        request(
            "a POST with headers and a body, echoed back as JSON",
            f"{plain}/echo",
            "POST",
            headers=["Content-Type: text/plain", "X-Demo-Client: godot"],
            body="hello from GDScript",
        ),
        request("a chunked response (5 chunks, 100 ms apart)", f"{plain}/chunked"),
        request("binary content (shown as hex)", f"{plain}/bytes"),
        request("a 10 MiB download", f"{plain}/download"),
        request(
            "the same 10 MiB download through the built-in HTTPClient, for comparison",
            f"{plain}/download",
            client="builtin" if client == "python" else "python",
        ),
        request("a slow response (256 KiB over 2 s)", f"{plain}/slow"),
        request("HTTPS with the certificate of the demo's own CA", f"{tls}/", ca=ca),
        request("HTTPS without trusting that CA (fails: shown in words)", f"{tls}/", expect="error"),
        request(
            "a port where nothing listens (fails: shown in words)",
            f"http://127.0.0.1:{servers.closed_port}/",
            expect="error",
        ),
        request(
            "the 10 MiB download through a PyHTTPRequest node (its request_progress signal)",
            f"{plain}/download",
            client="node",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="tools/demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="fetch this URL instead of the local server's plan")
    parser.add_argument("--method", default="GET", help="with --url: the HTTP method (default GET)")
    parser.add_argument(
        "--header", action="append", default=[], help='with --url: a request header "Name: value" (repeatable)'
    )
    parser.add_argument("--data", default="", help="with --url: the request body")
    parser.add_argument(
        "--client",
        choices=["python", "builtin", "node"],
        default="python",
        help="python: PyHTTPClient (default); builtin: Godot's HTTPClient; node: a PyHTTPRequest node",
    )
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    servers = None
    if args.url:
        plan = [
            {
                "name": args.url,
                "url": args.url,
                "method": args.method,
                "headers": args.header,
                "body": args.data,
                "client": args.client,
                "expect": "any",
            }
        ]
    else:
        servers = demo_server.start_servers(WORK)
        print(
            f"demo: local servers on {servers.plain_url} and {servers.tls_url} "
            f"(CA generated at start: {servers.ca_file.relative_to(REPO)})",
            flush=True,
        )
        plan = local_plan(servers, args.client)
    plan_file = WORK / "plan.json"
    plan_file.write_text(json.dumps({"requests": plan}, indent=2))

    command = [
        *godot_command(),
        "--headless",
        "--path",
        str(PROJECT),
        "res://headless_demo.tscn",
        "--",
        "--plan",
        str(plan_file),
    ]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        in_engine_message = False
        for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace")
            if line.startswith("Godot Engine v"):
                line = "demo: " + line  # the engine's banner, kept as a version note
            elif ENGINE_MESSAGE.match(line) or (in_engine_message and ENGINE_DETAIL.match(line)):
                # Godot's own log (e.g. the expected TLS failure's error), set apart from the report.
                in_engine_message = True
                line = "   (engine log) " + line.lstrip()
            else:
                in_engine_message = False
            sys.stdout.write(line)
            sys.stdout.flush()
        code = process.wait()
    finally:
        if servers:
            servers.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
