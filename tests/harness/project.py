"""Locate a Godot project, import it once per pytest process, write throwaway scripts.

A fresh clone has no .godot/ folder, and Godot loads GDExtensions only once
.godot/extension_list.cfg lists them, so every project is imported
(`godot --headless --import`) before its first run. The import also refreshes the global
class cache (class_name scripts). A file lock keeps concurrent pytest runs from importing
the same project at once.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import textwrap
import uuid
from pathlib import Path

from .godot import describe_exit, run_godot

TEST_PROJECT = Path(__file__).resolve().parents[1] / "godot_project"
SCRATCH_DIR = ".scratch"  # hidden from Godot's file scan; ignored by git
IMPORT_TIMEOUT = 300.0

_imported: dict[Path, str | None] = {}


def find_project(path: Path) -> Path | None:
    """The nearest folder at or above `path` holding a project.godot."""
    for folder in [path, *path.parents]:
        if (folder / "project.godot").is_file():
            return folder
    return None


def res_path(project: Path, path: Path) -> str:
    """res:// path of a file inside the project."""
    return "res://" + path.resolve().relative_to(project.resolve()).as_posix()


def ensure_imported(project: Path) -> str | None:
    """Import the project once per process. Returns None, or why the import failed."""
    project = project.resolve()
    if project not in _imported:
        _imported[project] = _import(project)
    return _imported[project]


def _import(project: Path) -> str | None:
    scratch = project / SCRATCH_DIR
    scratch.mkdir(exist_ok=True)
    with open(scratch / "import.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run = run_godot(["--headless", "--import", "--path", project], timeout=IMPORT_TIMEOUT, merge_stderr=True)
    if run.exit_code != 0:
        return f"importing {project} failed ({describe_exit(run.exit_code, IMPORT_TIMEOUT)}):\n" + tail(run.output)
    missing = _unregistered_extensions(project)
    if missing:
        return f"importing {project} did not register {', '.join(missing)} in .godot/extension_list.cfg:\n" + tail(
            run.output
        )
    return None


def _unregistered_extensions(project: Path) -> list[str]:
    """res:// paths of .gdextension files under addons/ that the import did not list."""
    addons = project / "addons"
    if not addons.is_dir():
        return []
    listed_file = project / ".godot" / "extension_list.cfg"
    listed = listed_file.read_text().split() if listed_file.is_file() else []
    found = [f"res://addons/{p.relative_to(addons).as_posix()}" for p in addons.glob("*/*.gdextension")]
    return [path for path in found if path not in listed]


def write_scratch_script(project: Path, source: str) -> Path:
    """Write a throwaway GDScript into the project's scratch folder and return its path."""
    scratch = project / SCRATCH_DIR
    scratch.mkdir(exist_ok=True)
    path = scratch / f"scratch_{uuid.uuid4().hex[:12]}.gd"
    path.write_text(source)
    return path


def as_script(source: str) -> str:
    """A whole script (dedented); a bare body becomes `extends Node` + `func run():` around it."""
    source = textwrap.dedent(source).strip("\n") + "\n"
    if source.startswith(("extends", "class_name", "@tool", "#")):
        return source
    return "extends Node\n\n\nfunc run():\n" + textwrap.indent(source, "\t")


_CPP_FRAME = re.compile(r"^\s*\[\d+\] \S+\(")


def tail(text: str, lines: int = 40) -> str:
    """The last `lines` lines of Godot output for failure messages, C++ backtrace frames folded."""
    kept: list[str] = []
    folded = 0
    for line in text.rstrip("\n").splitlines():
        if _CPP_FRAME.match(line):
            folded += 1
            continue
        if folded:
            kept.append(f"[... {folded} C++ backtrace frames ...]")
            folded = 0
        kept.append(line)
    return "\n".join("    | " + line for line in kept[-lines:])


ADDON_EXTENSION = "res://addons/godot_python/godot_python.gdextension"


def addon_project(project: Path, name: str, addon: Path, settings: str = "", editor_probe: Path | None = None) -> Path:
    """Makes `project` (a folder holding a test's files) a Godot project that uses the addon at
    `addon`, linked rather than copied: project.godot named `name` plus `settings`, the extension
    listed up front (docs/decisions/0003-extension-list.md), and, given `editor_probe` (a
    test-only plugin folder whose plugin.cfg names it `<name>_probe`), that plugin enabled."""
    (project / "addons").mkdir(exist_ok=True)
    (project / "addons" / "godot_python").symlink_to(addon.resolve())
    text = f'config_version=5\n\n[application]\nconfig/name="{name}"\n' + settings
    if editor_probe is not None:
        probe = f"{name}_probe"
        shutil.copytree(editor_probe, project / "addons" / probe)
        text += f'\n[editor_plugins]\n\nenabled=PackedStringArray("res://addons/{probe}/plugin.cfg")\n'
    (project / "project.godot").write_text(text)
    (project / ".godot").mkdir(exist_ok=True)
    (project / ".godot" / "extension_list.cfg").write_text(ADDON_EXTENSION + "\n")
    return project
