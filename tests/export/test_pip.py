"""tools/pip runs the addon's own pip for one project's python_packages/ folder.

`install` needs the machine's package index, which tests (run in the sysroot, loopback
only) cannot reach: tests/export/prepare installs the test game's numpy with
`tools/pip ... install` on the host before pytest, and these tests check the result, then
`list` and `uninstall` on a copy (no index needed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from godot_export import pip as project_pip

REPO = Path(__file__).resolve().parents[2]
GAME = Path(__file__).resolve().parent / "game"


def tools_pip(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(REPO / "tools" / "pip"), str(project), *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def game_copy(tmp_path):
    if not (GAME / "python_packages" / "numpy").is_dir():
        pytest.fail("tests/export/game/python_packages has no numpy: tools/test installs it (tests/export/prepare)")
    project = tmp_path / "game"
    shutil.copytree(GAME, project, ignore=shutil.ignore_patterns(".godot", "addons"))
    install = subprocess.run([str(REPO / "tools" / "install_addon"), str(project)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    return project


def test_install_put_a_cp311_numpy_and_a_gdignore_into_python_packages():
    packages = GAME / "python_packages"
    assert (packages / ".gdignore").is_file()
    native = list((packages / "numpy").rglob("_multiarray_umath.cpython-311-x86_64-linux-gnu.so"))
    assert native, "numpy's core extension is not the cp311 build"


def test_list_and_uninstall_work_on_the_projects_folder(game_copy):
    listed = tools_pip(game_copy, "list", "--format=freeze")
    assert listed.returncode == 0, listed.stderr
    assert any(line.startswith("numpy==") for line in listed.stdout.splitlines()), listed.stdout
    removed = tools_pip(game_copy, "uninstall", "-y", "numpy")
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert not (game_copy / "python_packages" / "numpy").exists()
    after = tools_pip(game_copy, "list", "--format=freeze")
    assert "numpy" not in after.stdout
    assert (GAME / "python_packages" / "numpy").is_dir()  # the original is untouched


def test_a_folder_without_a_project_or_addon_is_refused(tmp_path):
    no_project = tools_pip(tmp_path, "list")
    assert no_project.returncode == 2 and "no project.godot" in no_project.stderr
    (tmp_path / "project.godot").write_text("config_version=5\n")
    no_addon = tools_pip(tmp_path, "list")
    assert no_addon.returncode == 2 and "has no addon" in no_addon.stderr


def test_pip_arguments_target_the_packages_folder():
    assert project_pip.pip_arguments("install", ["numpy"], "/p/python_packages") == [
        "install",
        "--target",
        "/p/python_packages",
        "--upgrade",
        "--no-warn-script-location",
        "numpy",
    ]
    assert project_pip.pip_arguments("list", [], "/p/pp") == ["list", "--path", "/p/pp"]
    assert project_pip.pip_arguments("uninstall", ["-y", "x"], "/p/pp") == ["uninstall", "-y", "x"]


def test_unknown_commands_print_the_usage(capsys):
    assert project_pip.main(["download", "x"]) == 2
    assert "usage:" in capsys.readouterr().err
    assert sys.version_info >= (3, 8)
