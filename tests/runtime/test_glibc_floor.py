"""The portability floor: every native file the addon ships (every ELF file in tools/package's
zip) needs glibc 2.36 (Debian 12) or older, and no library of the machine beyond glibc's own
(docs/decisions/0008-portability-floor.md)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from shipped_elf import GLIBC_FLOOR, GLIBC_LIBS, elf, package_zip, shipped_elf, version_text


@pytest.fixture(scope="module")
def shipped() -> dict:
    with zipfile.ZipFile(package_zip()) as archive:
        files = shipped_elf(archive)
    # The floor is only meaningful over the whole set: both bridge libraries and the runtime.
    for required in (
        "bin/libgodot_python.linux.template_debug.x86_64.so",
        "bin/libgodot_python.linux.template_release.x86_64.so",
        "runtime/lib/libpython3.11.so.1.0",
        "runtime/lib/libssl.so.3",
        "runtime/bin/python3.11",
    ):
        assert required in files, f"{required} is not in the zip"
    assert sum(1 for p in files if "/lib-dynload/" in p) >= 25  # _ssl, _ctypes, _sqlite3, ...
    return files


def test_every_shipped_native_file_needs_glibc_2_36_at_most(shipped):
    too_new = {}
    for path, info in shipped.items():
        needed = info.max_glibc()
        if needed and needed > GLIBC_FLOOR:
            too_new[path] = "GLIBC_" + version_text(needed)
    assert not too_new, f"files above the glibc {version_text(GLIBC_FLOOR)} floor: {too_new}"


def test_shipped_files_need_only_glibc_and_what_the_runtime_bundles(shipped):
    bundled = {p.rsplit("/", 1)[1] for p in shipped if p.startswith("runtime/lib/") and p.count("/") == 2}
    unmet = {}
    for path, info in shipped.items():
        missing = [n for n in info.needed if n not in GLIBC_LIBS and n not in bundled]
        if missing:
            unmet[path] = missing
    assert not unmet, f"libraries the machine would have to provide: {unmet}"


def test_shipped_files_find_the_bundled_libraries_relative_to_themselves(shipped):
    for path, info in shipped.items():
        if any(n not in GLIBC_LIBS for n in info.needed):
            assert info.rpath and info.rpath.startswith("$ORIGIN"), f"{path}: DT_RPATH {info.rpath!r}"
            assert info.runpath is None, f"{path}: DT_RUNPATH would let LD_LIBRARY_PATH win"


def test_the_reader_sees_symbol_versions_above_the_floor_where_they_are():
    """The check can fail: files of the sid sysroot the tests run in need newer versions."""
    newest = None
    for candidate in ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/bin/godot", "/usr/bin/python3"):
        path = Path(candidate).resolve()
        if path.is_file() and elf.is_elf(path):
            version = elf.read(path).max_glibc()
            newest = max(newest or version, version) if version else newest
    assert newest and newest > GLIBC_FLOOR, f"no system file above the floor found (newest {newest})"
