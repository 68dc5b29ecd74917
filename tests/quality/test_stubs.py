"""The addon ships type information for `godot` (lib/godot/__init__.pyi and py.typed, generated
by tools/stubs/gen_stubs.py at build time), and mypy and pyright pointed at the addon's
package folder accept a correct class module and report every planted mistake."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pytest
from devtools import ADDON_LIB, REPO, run_tool

SAMPLES = Path(__file__).parent / "typing_samples"
STUB = ADDON_LIB / "godot" / "__init__.pyi"
API = REPO / "build" / "gen" / "extension_api.json"
PYTHON_VERSION = "3.11"  # the addon's runtime


def planted_lines() -> dict[int, str]:
    lines = (SAMPLES / "planted_errors.py").read_text().splitlines()
    return {number: line.split("# error:")[1].strip() for number, line in enumerate(lines, 1) if "# error:" in line}


@pytest.fixture(scope="module")
def stub() -> ast.Module:
    assert STUB.is_file() and (ADDON_LIB / "godot" / "py.typed").is_file(), "build first: tools/build"
    return ast.parse(STUB.read_text())


def classes_of(stub: ast.Module) -> dict[str, ast.ClassDef]:
    return {node.name: node for node in stub.body if isinstance(node, ast.ClassDef)}


def members(cls: ast.ClassDef) -> dict[str, ast.stmt]:
    out: dict[str, ast.stmt] = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            out.setdefault(node.name, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            out[node.target.id] = node
    return out


def test_stub_has_every_engine_class_with_typed_members(stub):
    api = json.loads(API.read_text())
    classes = classes_of(stub)
    missing = [c["name"] for c in api["classes"] if c["name"] not in classes]
    assert not missing, f"{len(missing)} engine classes missing from the stub: {missing[:10]}"
    node = members(classes["Node"])
    add_child = node["add_child"]
    assert isinstance(add_child, ast.FunctionDef)
    assert ast.unparse(add_child.args) == "self, node: Node | None, force_readable_name: bool=..., internal: int=..., /"
    assert ast.unparse(add_child.returns) == "None"
    assert ast.unparse(node["get_children"].returns) == "list[Node]"  # a typed array
    assert "ready" in node and "NOTIFICATION_READY" in node and "PROCESS_MODE_INHERIT" in node  # signal, constant, enum
    label = members(classes["Label"])
    assert ast.unparse(label["text"]) == "text: str"  # a property
    http = members(classes["HTTPClient"])
    assert "STATUS_BODY" in http and "METHOD_GET" in http
    # engine enums: IntEnum classes nested in their class, global ones at the top, bitfields IntFlag
    method_enum = next(n for n in classes["HTTPClient"].body if isinstance(n, ast.ClassDef) and n.name == "Method")
    assert ast.unparse(method_enum.bases) == "_enum.IntEnum"
    assert "METHOD_GET = 0" in ast.unparse(method_enum) and "METHOD_PATCH = 8" in ast.unparse(method_enum)
    assert ast.unparse(classes["Error"].bases) == "_enum.IntEnum" and "ERR_BUSY = 44" in ast.unparse(classes["Error"])
    assert ast.unparse(classes["KeyModifierMask"].bases) == "_enum.IntFlag"
    os_get_name = members(classes["OS"])["get_name"]  # a singleton: called on the class
    assert isinstance(os_get_name, ast.FunctionDef) and ast.unparse(os_get_name.decorator_list[0]) == "staticmethod"
    for value_type in ("Vector2", "Vector3i", "Color", "Rect2", "StringName", "NodePath", "PackedInt32Array"):
        assert value_type in classes, value_type
    for api_name in ("method", "Property", "Signal", "BoundSignal", "Constant", "IntEnum", "EngineEnum", "hint_range"):
        assert re.search(rf"^(def|class) {api_name}\b|^{api_name} = ", STUB.read_text(), re.MULTILINE), api_name


def copy_samples(tmp_path: Path) -> Path:
    project = tmp_path / "user_project"
    shutil.copytree(SAMPLES, project, ignore=shutil.ignore_patterns("__pycache__"))
    return project


def mypy_errors(project: Path, module: str) -> tuple[str, dict[int, str], bool]:
    run = run_tool(
        "mypy",
        "--strict",
        "--python-version",
        PYTHON_VERSION,
        "--no-error-summary",
        "--config-file",
        "",
        "--cache-dir",
        project / ".mypy_cache",
        module,
        cwd=project,
        env={"MYPYPATH": str(ADDON_LIB)},
    )
    found = {
        int(m.group(1)): m.group(2) for m in re.finditer(rf"^{module}:(\d+): error: (.*)$", run.stdout, re.MULTILINE)
    }
    checked = run.returncode == (1 if found else 0)  # 2: mypy itself failed
    return run.stdout + run.stderr, found, checked


def pyright_errors(project: Path, module: str) -> tuple[str, dict[int, str], bool]:
    (project / "pyrightconfig.json").write_text(
        json.dumps({"extraPaths": [str(ADDON_LIB)], "pythonVersion": PYTHON_VERSION, "typeCheckingMode": "strict"})
    )
    run = run_tool("pyright", "--outputjson", module, cwd=project, env={"HOME": str(project)})
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not run:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    found = {
        d["range"]["start"]["line"] + 1: d["message"] for d in report["generalDiagnostics"] if d["severity"] == "error"
    }
    return run.stdout, found, report["summary"]["filesAnalyzed"] == 1


CHECKERS = {"mypy": mypy_errors, "pyright": pyright_errors}


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_accepts_a_correct_class_module(checker, tmp_path):
    output, errors, checked = CHECKERS[checker](copy_samples(tmp_path), "good_user_module.py")
    assert checked and not errors, f"{checker} reported errors in a correct module:\n{output[-4000:]}"


@pytest.mark.parametrize("checker", CHECKERS)
def test_checker_reports_every_planted_mistake(checker, tmp_path):
    output, errors, checked = CHECKERS[checker](copy_samples(tmp_path), "planted_errors.py")
    assert checked, output[-4000:]
    expected = planted_lines()
    assert len(expected) == 9
    missed = {line: kind for line, kind in expected.items() if line not in errors}
    assert not missed, f"{checker} missed {missed}:\n{output[-4000:]}"
    unexpected = {line: message for line, message in errors.items() if line not in expected}
    assert not unexpected, f"{checker} reported errors on correct lines: {unexpected}"
