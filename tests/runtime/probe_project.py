"""A small Godot project for the runtime tests: one Python class that reports, from inside
Godot, where the interpreter came from (sys.prefix, sys.path, every loaded module's file),
and a main script that prints the report and checks PyHTTPClient is there.

The addon goes in as a copy (tools/install_addon, or unzipped from tools/package's zip)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

EXTENSION = "res://addons/godot_python/godot_python.gdextension"
REPORT_MARK = "RUNTIME-PROBE "

PROBE_MODULE = '''\
import json
import os
import sys
import time

import godot
from godot import RefCounted, method

LOADED_AT = time.time()
godot.print(f"RUNTIME-PROBE-LOADED editor={godot.Engine.is_editor_hint()} at={LOADED_AT:.3f}")


class RuntimeProbe(RefCounted):
    """Says where this interpreter and its modules come from."""

    @method
    def report(self) -> str:
        files = sorted({os.path.realpath(m.__file__) for m in list(sys.modules.values())
                        if isinstance(getattr(m, "__file__", None), str)})
        try:
            import poison  # noqa: F401  (only reachable through PYTHONPATH, the user site or the cwd)
            poisoned = True
        except ImportError:
            poisoned = False
        return json.dumps({
            "version": list(sys.version_info[:3]),
            "prefix": sys.prefix, "exec_prefix": sys.exec_prefix,
            "base_prefix": sys.base_prefix, "base_exec_prefix": sys.base_exec_prefix,
            "path": sys.path, "module_files": files, "poisoned": poisoned,
            "isolated": sys.flags.isolated, "ignore_environment": sys.flags.ignore_environment,
            "no_user_site": sys.flags.no_user_site, "safe_path": sys.flags.safe_path,
            "utf8_mode": sys.flags.utf8_mode, "loaded_at": LOADED_AT,
        })

    @method
    def use_the_stdlib(self) -> str:
        """Touches the kept C extension modules; returns what they computed."""
        import bz2, ctypes, decimal, hashlib, lzma, sqlite3, ssl, uuid, zlib  # noqa: E401
        import xml.etree.ElementTree as ET
        import certifi
        db = sqlite3.connect(":memory:")
        row = db.execute("select 6 * 7").fetchone()[0]
        ctx = ssl.create_default_context(cafile=certifi.where())
        parts = [
            str(row), str(decimal.Decimal("1.1") + decimal.Decimal("2.2")),
            hashlib.sha256(b"x").hexdigest()[:8], str(len(zlib.compress(b"a" * 100)) < 100),
            str(bz2.decompress(bz2.compress(b"bz")) == b"bz"), str(lzma.decompress(lzma.compress(b"xz")) == b"xz"),
            str(ctypes.sizeof(ctypes.c_int64)), str(uuid.UUID(int=1).int), ET.fromstring("<a>ok</a>").text,
            str(ctx.verify_mode == ssl.CERT_REQUIRED), str(len(ctx.get_ca_certs()) > 50),
        ]
        return " ".join(parts)
'''

MAIN_SCRIPT = (
    """\
extends SceneTree


func _initialize():
	var probe = ClassDB.instantiate("RuntimeProbe")
	print("%s" + probe.report())
	print("STDLIB " + probe.use_the_stdlib())
	print("HTTPCLIENT ", ClassDB.class_exists("PyHTTPClient"))
	quit()
"""
    % REPORT_MARK
)


def write_project(project: Path) -> Path:
    """A project folder with project.godot, python/runtime_probe.py and main.gd."""
    (project / "python").mkdir(parents=True, exist_ok=True)
    (project / "project.godot").write_text('config_version=5\n\n[application]\nconfig/name="runtime-probe"\n')
    (project / "python" / "runtime_probe.py").write_text(PROBE_MODULE)
    (project / "main.gd").write_text(MAIN_SCRIPT)
    return project


def list_extension(project: Path) -> None:
    """What the README tells users to do (docs/decisions/0003-extension-list.md)."""
    (project / ".godot").mkdir(exist_ok=True)
    (project / ".godot" / "extension_list.cfg").write_text(EXTENSION + "\n")


def parse_report(stdout: str) -> dict:
    match = re.search("^" + re.escape(REPORT_MARK) + "(.*)$", stdout, re.M)
    assert match, "the probe printed no report:\n" + stdout[-3000:]
    return json.loads(match.group(1))


def inside(path: str, *roots: Path) -> bool:
    real = os.path.realpath(path)
    return any(real == str(r) or real.startswith(str(r) + os.sep) for r in (os.path.realpath(x) for x in roots))
