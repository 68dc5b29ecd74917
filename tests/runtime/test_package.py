"""tools/package's zip is the whole addon: unzipped into a fresh project (a copy, nothing
linked to this repository), its Python classes work in a headless game run and in the editor."""

from __future__ import annotations

import stat
import struct
import zipfile
from pathlib import Path

import pytest
from probe_project import inside, list_extension, parse_report, write_project
from shipped_elf import ADDON, ADDON_PREFIX, ZIP_NAME, package_zip

pytestmark = pytest.mark.godot

REQUIRED = (
    "godot_python.gdextension",
    "godot_python.gdextension.uid",
    "bin/libgodot_python.linux.template_debug.x86_64.so",
    "bin/libgodot_python.linux.template_release.x86_64.so",
    "runtime/lib/libpython3.11.so.1.0",
    "runtime/bin/python3.11",
    "runtime/MANIFEST.txt",
    "runtime/.gdignore",
    "runtime/lib/python3.11/os.py",
    "runtime/lib/python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so",
    "runtime/lib/python3/dist-packages/pip/__init__.py",
    "runtime/lib/python3/dist-packages/certifi/cacert.pem",
    "lib/godot/__init__.py",
    "lib/godot/_generated.py",
    "lib/godot_http/__init__.py",
    "classes/py_http_client.py",
    "classes/py_http_request.py",
)
PYC_CHECKED_HASH = 0b11  # PEP 552 flags: hash-based, check the source


def unzip(archive: zipfile.ZipFile, into: Path) -> None:
    """Extracts like unzip(1): Unix modes kept (zipfile alone drops them)."""
    for info in archive.infolist():
        target = Path(archive.extract(info, into))
        mode = info.external_attr >> 16
        if mode and not info.is_dir():
            target.chmod(stat.S_IMODE(mode))


@pytest.fixture(scope="module")
def archive():
    path = package_zip()
    assert ZIP_NAME.match(path.name)
    libraries = [ADDON / "bin" / f"libgodot_python.linux.{t}.x86_64.so" for t in ("template_debug", "template_release")]
    assert all(path.stat().st_mtime >= lib.stat().st_mtime for lib in libraries), (
        "the zip is older than the libraries: run tools/package"
    )
    with zipfile.ZipFile(path) as z:
        yield z


def test_the_zip_holds_the_whole_addon_and_nothing_else(archive):
    names = [i.filename for i in archive.infolist()]
    assert all(n.startswith(ADDON_PREFIX) for n in names), [n for n in names if not n.startswith(ADDON_PREFIX)][:5]
    rel = {n.removeprefix(ADDON_PREFIX) for n in names}
    missing = [r for r in REQUIRED if r not in rel]
    assert not missing, f"missing from the zip: {missing}"
    links = [i.filename for i in archive.infolist() if stat.S_ISLNK(i.external_attr >> 16)]
    assert not links, f"symbolic links in the zip: {links[:5]}"
    python = archive.getinfo(ADDON_PREFIX + "runtime/bin/python3.11")
    assert (python.external_attr >> 16) & 0o111, "runtime/bin/python3.11 lost its executable bit"


def test_the_addon_s_own_bytecode_is_fresh_not_the_dev_tree_s(archive):
    """Bytecode outside the runtime and debugpy is what tools/package compiled: checked-hash
    .pyc of 3.11 for a source that is in the zip (a dev tree's timestamp .pyc would be stale)."""
    names = {i.filename.removeprefix(ADDON_PREFIX) for i in archive.infolist()}
    own = [n for n in names if n.endswith(".pyc") and not n.startswith(("runtime/", "debug/"))]
    assert own, "the addon's own Python was not compiled"
    for name in own:
        folder, _, file = name.rpartition("/__pycache__/")
        assert file.endswith(".cpython-311.pyc"), name
        assert f"{folder}/{file.split('.')[0]}.py" in names, f"{name} has no source in the zip"
        (flags,) = struct.unpack("<I", archive.read(ADDON_PREFIX + name)[4:8])
        assert flags == PYC_CHECKED_HASH, f"{name}: flags {flags:#b}"


def test_unzipped_into_a_fresh_project_the_classes_work_in_a_game_and_in_the_editor(archive, tmp_path, run_godot):
    project = write_project(tmp_path / "fresh")
    unzip(archive, project)
    assert not any(p.is_symlink() for p in project.rglob("*"))
    list_extension(project)  # the README's install step (docs/decisions/0003-extension-list.md)
    addon = project / "addons" / "godot_python"

    game = run_godot(["--headless", "--path", str(project), "--script", "res://main.gd"])
    assert game.exit_code == 0, game.output[-3000:]
    assert "ERROR" not in game.output, game.output[-3000:]
    report = parse_report(game.stdout)
    assert inside(report["prefix"], addon / "runtime") and report["version"][:2] == [3, 11]
    assert all(inside(p, addon, project) for p in report["path"]), report["path"]
    assert "STDLIB 42 3.3" in game.stdout and "HTTPCLIENT true" in game.stdout, game.output[-3000:]

    editor = run_godot(["--editor", "--headless", "--quit", "--path", str(project)])
    assert editor.exit_code == 0, editor.output[-3000:]
    assert "RUNTIME-PROBE-LOADED editor=True" in editor.stdout, editor.output[-3000:]
    assert "ERROR" not in editor.output, editor.output[-3000:]
