"""godot_export.stage lays out the godot_python/ folder of an exported game (no Godot needed):
what is compiled, what is left out, and that the result imports with or without sources."""

from __future__ import annotations

import json
import py_compile
import subprocess
import sys
from pathlib import Path

import pytest
from godot import _layout
from godot_export import stage

CLASS_MODULE = "def greet():\n    return 'hello from ' + __name__\n\n\ndef fail():\n    raise ValueError('boom')\n"


def make_tree(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def addon_and_project(tmp_path):
    addon = tmp_path / "project" / "addons" / "godot_python"
    make_tree(
        addon,
        {
            "lib/godot/__init__.py": "VERSION = 1\n",
            "classes/py_thing.py": "X = 1\n",
            "runtime/include/python3.11/Python.h": "/* header */\n",
            "runtime/bin/python3.11": "binary\n",
            "runtime/lib/python3.11/os.py": "# stdlib\n",
            "runtime/lib/python3/dist-packages/pip/__init__.py": "# pip\n",
            "runtime/lib/python3/dist-packages/pip-26.3.dist-info/METADATA": "pip\n",
            "runtime/lib/python3/dist-packages/certifi/__init__.py": "# certifi\n",
        },
    )
    project = tmp_path / "project"
    make_tree(
        project,
        {
            "python/hello.py": CLASS_MODULE,
            "python/pkg/__init__.py": "from pkg.inner import VALUE\n",
            "python/pkg/inner.py": "VALUE = 42\n",
            "python/pkg/data.json": "{}\n",
            "python/__pycache__/stale.cpython-399.pyc": "stale",
            "python_packages/.gdignore": "",
            "python_packages/numpyish/__init__.py": "PI = 3.14\n",
            "python_packages/numpyish/_core.so": "ELF",
            "python_packages/bin/f2py": "#!/editor/python\n",
        },
    )
    return addon, project


def run_python(folder: Path, code: str) -> subprocess.CompletedProcess:
    """A fresh interpreter that sees only the staged folders (as the bridge's sys.path)."""
    paths = [str(folder / "lib"), str(folder / "res" / "python"), str(folder / "res" / "python_packages")]
    return subprocess.run(
        [sys.executable, "-I", "-B", "-c", f"import sys; sys.path[:0] = {paths!r}\n{code}"],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_stage_with_sources_keeps_py_and_compiles_into_pycache(addon_and_project, tmp_path):
    addon, project = addon_and_project
    report = stage.stage(str(addon), str(project), str(tmp_path / "out"), stage.StageOptions(include_sources=True))
    folder = Path(report.folder)
    assert folder == tmp_path / "out" / "godot_python"
    assert (folder / "res/python/hello.py").is_file()
    assert (folder / f"res/python/__pycache__/hello.{sys.implementation.cache_tag}.pyc").is_file()
    assert (folder / "res/python/pkg/data.json").read_text() == "{}\n"
    assert not (folder / "res/python/__pycache__/stale.cpython-399.pyc").exists()
    assert (folder / "lib/godot/__init__.py").is_file() and (folder / "classes/py_thing.py").is_file()
    assert report.compiled == 6 and report.runtime and report.packages
    marker = json.loads((folder / _layout.EXPORT_MARKER).read_text())
    assert marker["sources"] is True and marker["format"] == stage.EXPORT_FORMAT
    assert _layout.is_export(str(folder))


def test_stage_without_sources_leaves_only_bytecode_that_imports(addon_and_project, tmp_path):
    addon, project = addon_and_project
    report = stage.stage(str(addon), str(project), str(tmp_path / "out"), stage.StageOptions(include_sources=False))
    folder = Path(report.folder)
    shipped_py = list((folder / "res/python").rglob("*.py")) + list((folder / "lib").rglob("*.py"))
    assert shipped_py == []
    assert (folder / "res/python/hello.pyc").is_file() and (folder / "res/python/pkg/__init__.pyc").is_file()
    run = run_python(
        folder,
        "import hello, pkg, godot; print(hello.greet(), pkg.VALUE, godot.VERSION)\n"
        "try:\n    hello.fail()\nexcept ValueError:\n"
        "    import traceback; traceback.print_exc()",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "hello from hello 42 1"
    # Tracebacks name the project's res:// path, not the export folder.
    assert 'File "res://python/hello.py", line 6, in fail' in run.stderr


def test_runtime_copy_leaves_out_headers_interpreter_and_pip(addon_and_project, tmp_path):
    addon, project = addon_and_project
    folder = Path(stage.stage(str(addon), str(project), str(tmp_path / "out"), stage.StageOptions()).folder)
    runtime = folder / "runtime"
    assert (runtime / "lib/python3.11/os.py").is_file()
    assert (runtime / "lib/python3/dist-packages/certifi/__init__.py").is_file()
    for left_out in ("include", "bin", "lib/python3/dist-packages/pip", "lib/python3/dist-packages/pip-26.3.dist-info"):
        assert not (runtime / left_out).exists(), left_out


def test_project_packages_are_copied_as_installed_without_launchers(addon_and_project, tmp_path):
    addon, project = addon_and_project
    folder = Path(stage.stage(str(addon), str(project), str(tmp_path / "out"), stage.StageOptions()).folder)
    packages = folder / "res/python_packages"
    assert (packages / "numpyish/_core.so").read_text() == "ELF"
    assert not (packages / "bin").exists()
    run = run_python(folder, "import numpyish; print(numpyish.PI)")
    assert run.stdout.strip() == "3.14", run.stderr


def test_packages_bytecode_does_not_depend_on_file_times(addon_and_project, tmp_path):
    """pip writes timestamp-checked bytecode; an export's copy loses the times, so the stage
    replaces it with unchecked-hash bytecode (and leaves such bytecode alone)."""
    addon, project = addon_and_project
    module = project / "python_packages/numpyish/__init__.py"
    timestamp_pyc = project / f"python_packages/numpyish/__pycache__/__init__.{sys.implementation.cache_tag}.pyc"
    py_compile.compile(
        str(module), cfile=str(timestamp_pyc), doraise=True, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP
    )
    assert not stage._is_unchecked_hash_pyc(str(timestamp_pyc))
    folder = Path(stage.stage(str(addon), str(project), str(tmp_path / "out"), stage.StageOptions()).folder)
    shipped = folder / "res/python_packages/numpyish/__pycache__" / timestamp_pyc.name
    assert stage._is_unchecked_hash_pyc(str(shipped))
    run = run_python(folder, "import numpyish, traceback; print(numpyish.__cached__)")
    assert run.returncode == 0 and run.stdout.strip().endswith(timestamp_pyc.name), run.stderr


def test_a_second_stage_replaces_the_first(addon_and_project, tmp_path):
    addon, project = addon_and_project
    out = tmp_path / "out"
    stage.stage(str(addon), str(project), str(out), stage.StageOptions())
    (project / "python/hello.py").unlink()
    folder = Path(stage.stage(str(addon), str(project), str(out), stage.StageOptions()).folder)
    assert not (folder / "res/python/hello.py").exists()
    assert not list((folder / "res/python/__pycache__").glob("hello.*"))


def test_an_addon_without_its_python_packages_is_refused(tmp_path):
    with pytest.raises(stage.StageError, match="no lib/godot"):
        stage.stage(str(tmp_path / "nothing"), str(tmp_path), str(tmp_path / "out"), stage.StageOptions())


def test_export_res_path_maps_res_folders_under_res():
    assert _layout.export_res_path("/g/godot_python", "res://python_packages") == "/g/godot_python/res/python_packages"
    with pytest.raises(ValueError):
        _layout.export_res_path("/g", "/abs/path")
