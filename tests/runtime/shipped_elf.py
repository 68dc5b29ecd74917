"""The native files the addon ships, read with tools/runtime/elf.py (a plain-Python ELF reader)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ADDON = REPO / "addons" / "godot_python"
GLIBC_FLOOR = (2, 36)  # Debian 12; docs/decisions/0008-portability-floor.md
GLIBC_LIBS = {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
              "libutil.so.1", "libresolv.so.2", "ld-linux-x86-64.so.2", "libanl.so.1"}

_spec = importlib.util.spec_from_file_location("runtime_elf", REPO / "tools" / "runtime" / "elf.py")
elf = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = elf  # dataclasses look their module up
_spec.loader.exec_module(elf)


def shipped_elf_files(addon: Path = ADDON) -> list[Path]:
    """Every ELF file under the addon folder (bridge libraries, runtime, packages)."""
    return sorted(p for p in addon.rglob("*") if p.is_file() and not p.is_symlink() and elf.is_elf(p))


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))
