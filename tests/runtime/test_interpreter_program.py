"""The runtime's interpreter as a program (runtime/bin/python3.11: what pip and the export's
compiler run) works where it is, isolated from the machine's Python: here in the sid sysroot,
which has Python 3.14 and a newer glibc than the runtime was built for."""

from __future__ import annotations

import json
import subprocess

from probe_project import inside
from shipped_elf import ADDON

PYTHON = ADDON / "runtime" / "bin" / "python3.11"
REPORT = """
import json, sys, ssl, sqlite3, ctypes, lzma, decimal, certifi, pip
print(json.dumps({"prefix": sys.prefix, "path": sys.path, "version": list(sys.version_info[:2]),
                  "pip": pip.__version__, "cafile": certifi.where(), "openssl": ssl.OPENSSL_VERSION}))
"""


def test_the_runtime_s_python_program_runs_isolated_with_its_own_packages(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path), "PYTHONHOME": "/nonexistent", "HOME": str(tmp_path)}
    run = subprocess.run([str(PYTHON), "-I", "-c", REPORT], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["version"] == [3, 11]
    assert inside(report["prefix"], ADDON / "runtime")
    assert all(inside(p, ADDON / "runtime") for p in report["path"]), report["path"]
    assert inside(report["cafile"], ADDON / "runtime") and report["openssl"].startswith("OpenSSL 3.")
    pip = subprocess.run([str(PYTHON), "-I", "-m", "pip", "--version"], capture_output=True, text=True, env=env)
    assert pip.returncode == 0 and str(ADDON / "runtime") in pip.stdout, pip.stdout + pip.stderr
