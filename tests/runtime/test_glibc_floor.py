"""The portability floor: every native file the addon ships needs glibc 2.36 (Debian 12) or
older, and needs no library of the machine beyond glibc's own (docs/decisions/0008)."""

from __future__ import annotations

from pathlib import Path

import pytest
from shipped_elf import ADDON, GLIBC_FLOOR, GLIBC_LIBS, elf, shipped_elf_files, version_text


@pytest.fixture(scope="module")
def shipped() -> list[Path]:
    files = shipped_elf_files()
    names = {p.name for p in files}
    # The floor is only meaningful over the whole set: both bridge libraries and the runtime.
    for required in ("libgodot_python.linux.template_debug.x86_64.so",
                     "libgodot_python.linux.template_release.x86_64.so",
                     "libpython3.11.so.1.0", "libssl.so.3", "python3.11"):
        assert required in names, f"{required} is not in {ADDON} (build with tools/build, both targets)"
    assert sum(1 for p in files if "lib-dynload" in p.parts) >= 25  # _ssl, _ctypes, _sqlite3, ...
    return files


def test_every_shipped_native_file_needs_glibc_2_36_at_most(shipped):
    too_new = {}
    for path in shipped:
        needed = elf.read(path).max_glibc()
        if needed and needed > GLIBC_FLOOR:
            too_new[str(path.relative_to(ADDON))] = "GLIBC_" + version_text(needed)
    assert not too_new, f"files above the glibc {version_text(GLIBC_FLOOR)} floor: {too_new}"


def test_shipped_files_need_only_glibc_and_what_the_runtime_bundles(shipped):
    bundled = {p.name for p in (ADDON / "runtime" / "lib").iterdir()}
    unmet = {}
    for path in shipped:
        missing = [n for n in elf.read(path).needed if n not in GLIBC_LIBS and n not in bundled]
        if missing:
            unmet[str(path.relative_to(ADDON))] = missing
    assert not unmet, f"libraries the machine would have to provide: {unmet}"


def test_shipped_files_find_the_bundled_libraries_relative_to_themselves(shipped):
    for path in shipped:
        info = elf.read(path)
        if any(n not in GLIBC_LIBS for n in info.needed):
            assert info.rpath and info.rpath.startswith("$ORIGIN"), f"{path}: DT_RPATH {info.rpath!r}"
            assert info.runpath is None, f"{path}: DT_RUNPATH would let LD_LIBRARY_PATH win"


def test_the_reader_sees_symbol_versions_above_the_floor_where_they_are():
    """The check can fail: the sid sysroot's own libc needs (defines and references) newer versions."""
    newest = None
    for candidate in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/bin/godot", "/usr/bin/python3"):
        path = Path(candidate).resolve()
        if path.is_file() and elf.is_elf(path):
            version = elf.read(path).max_glibc()
            newest = max(newest or version, version) if version else newest
    assert newest and newest > GLIBC_FLOOR, f"no system file above the floor found (newest {newest})"
