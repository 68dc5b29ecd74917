"""Which files of the built addon folder a user gets: the selection tools/package zips and the
glibc-floor test reads. Pure functions over a folder; nothing here writes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

# Folders whose bytecode is part of the product (compiled when they were assembled).
BYTECODE_KEPT_IN = ("runtime", "debug")
# Left out, relative to the addon folder: stamps, console scripts with the build machine's
# interpreter path, debugpy's attach-by-PID helpers (native code for gdb injection and other
# systems; the addon's debugger listens instead, python/godot/_debugger.py).
LEFT_OUT_FILES = {"debug/.complete"}
LEFT_OUT_FOLDERS = ("debug/bin", "debug/debugpy/_vendored/pydevd/pydevd_attach_to_process")
LEFT_OUT_SUFFIXES = (".dll", ".exe", ".dylib", ".pdb", ".lib")


def _dev_junk(rel: str) -> bool:
    parts = rel.split("/")
    in_kept = parts[0] in BYTECODE_KEPT_IN
    if not in_kept and ("__pycache__" in parts or rel.endswith((".pyc", ".pyo"))):
        return True  # the dev tree's bytecode; tools/package compiles its own
    return False


def shipped(addon: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to the addon folder, file on disk) for every file a user gets, sorted.
    Symbolic links are followed: the zip holds what they point to, never a link."""
    addon = Path(addon)
    found = []
    for root, dirs, files in os.walk(addon, followlinks=True):
        rel_root = os.path.relpath(root, addon).replace(os.sep, "/")
        rel_root = "" if rel_root == "." else rel_root + "/"
        dirs[:] = sorted(d for d in dirs if (rel_root + d) not in LEFT_OUT_FOLDERS)
        for name in files:
            rel = rel_root + name
            if rel in LEFT_OUT_FILES or name.endswith(LEFT_OUT_SUFFIXES) or _dev_junk(rel):
                continue
            found.append((rel, Path(root) / name))
    return iter(sorted(found))
