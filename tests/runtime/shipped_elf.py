"""The native files the addon ships: the ELF files in tools/package's zip, read with
tools/runtime/elf.py (a plain-Python ELF reader)."""

from __future__ import annotations

import importlib.util
import re
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ADDON = REPO / "addons" / "godot_python"
ADDON_PREFIX = "addons/godot_python/"
DIST = REPO / "build" / "dist"
GLIBC_FLOOR = (2, 36)  # Debian 12; docs/decisions/0008-portability-floor.md
ZIP_NAME = re.compile(r"^godot_python-(\d+\.\d+\.\d+)-linux-x86_64\.zip$")

_spec = importlib.util.spec_from_file_location("runtime_elf", REPO / "tools" / "runtime" / "elf.py")
elf = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = elf  # dataclasses look their module up
_spec.loader.exec_module(elf)
GLIBC_LIBS = elf.GLIBC_LIBS


def addon_version() -> str:
    text = (REPO / "python" / "godot" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def package_zip() -> Path:
    """The zip tools/package wrote for the current version (tools/test writes it before pytest)."""
    path = DIST / f"godot_python-{addon_version()}-linux-x86_64.zip"
    assert path.is_file(), f"{path} is missing: run tools/package (tools/test does)"
    return path


def shipped_elf(archive: zipfile.ZipFile) -> dict[str, elf.ElfInfo]:
    """Path inside the addon -> ElfInfo, for every ELF file in the zip."""
    found = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as member:
            if member.read(4) != elf.ELF_MAGIC:
                continue
        found[info.filename.removeprefix(ADDON_PREFIX)] = elf.parse(archive.read(info), info.filename)
    return found


def version_text(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))
