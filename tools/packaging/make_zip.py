"""Writes build/dist/godot_python-<version>-linux-x86_64.zip from the built addon folder:
`addons/godot_python/` complete (both bridge libraries, the runtime, the packages, the
classes), as a user unzips it into a project. Called by tools/package after the build.

    python3 tools/packaging/make_zip.py [REPO]

The addon's own Python (lib/, classes/, editor/) is compiled to bytecode by the runtime's
interpreter into a staging copy (checked-hash .pyc: valid after unzipping, whatever the file
times, and recompiled if a user edits a source). Files keep their Unix modes; no symbolic
links, no bytecode of the development tree."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from addon_files import shipped  # noqa: E402

ADDON = "addons/godot_python"
PLATFORM = "linux-x86_64"
REQUIRED = (
    "godot_python.gdextension",
    "bin/libgodot_python.linux.template_debug.x86_64.so",
    "bin/libgodot_python.linux.template_release.x86_64.so",
    "runtime/lib/libpython3.11.so.1.0",
    "runtime/bin/python3.11",
    "lib/godot/__init__.py",
    "classes/py_http_client.py",
)
COMPILED_FOLDERS = ("lib", "classes", "editor")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def version(repo: Path) -> str:
    text = (repo / "python/godot/__init__.py").read_text()
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        sys.exit("make_zip: python/godot/__init__.py has no __version__")
    return match.group(1)


def stage(repo: Path, into: Path) -> Path:
    """A copy of the shipped files with the addon's own Python compiled beside it."""
    addon = repo / ADDON
    for rel in REQUIRED:
        if not (addon / rel).is_file():
            sys.exit(f"make_zip: {ADDON}/{rel} is missing: build both targets first (tools/package does)")
    staged = into / "godot_python"
    for rel, source in shipped(addon):
        target = staged / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)  # follows links: a file, never a link
    python = staged / "runtime/bin/python3.11"
    folders = [str(staged / f) for f in COMPILED_FOLDERS if (staged / f).is_dir()]
    subprocess.run(
        [str(python), "-I", "-m", "compileall", "-q", "--invalidation-mode", "checked-hash", *folders], check=True
    )
    return staged


def write_zip(staged: Path, out: Path) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    count = 0
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for path in sorted(p for p in staged.rglob("*") if p.is_file()):
            rel = path.relative_to(staged).as_posix()
            info = zipfile.ZipInfo(f"{ADDON}/{rel}", date_time=max(ZIP_EPOCH, time.localtime(path.stat().st_mtime)[:6]))
            info.external_attr = (stat.S_IFREG | (path.stat().st_mode & 0o777)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as data:
                archive.writestr(info, data.read(), compresslevel=6)
            count += 1
    partial.replace(out)
    return count


def main() -> None:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2])
    out = repo / "build" / "dist" / f"godot_python-{version(repo)}-{PLATFORM}.zip"
    with tempfile.TemporaryDirectory(dir=repo / "build") as tmp:
        count = write_zip(stage(repo, Path(tmp)), out)
    print(f"tools/package: {out.relative_to(repo)} ({count} files, {out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
