"""pip for one Godot project: packages go into the project's `python_packages/` folder.

Run by the addon's own interpreter (the runtime's python3.11), never the machine's Python,
so wheels match the Python the game runs (cp311) and the machine's glibc:

    addons/godot_python/pip install numpy        (from the project folder; a shell launcher)
    addons/godot_python/pip uninstall -y numpy
    addons/godot_python/pip list

`tools/pip PROJECT_DIR ...` in the repository runs the same launcher. After an install the
packages get unchecked-hash bytecode (an export keeps it valid; see compile_for_export). pip reads the
machine's own configuration (pip.conf, PIP_* variables: its index, mirror, certificates).

`python_packages/` holds a `.gdignore`, so the editor neither scans nor imports its
thousands of files; the addon puts the folder on sys.path in the editor, in runs and (copied
next to the game) in exports. It belongs to the project: updating the addon keeps it.

This file runs as a script under `-I` (isolated: no script folder on sys.path), so it
uses the standard library only.
"""

from __future__ import annotations

import compileall
import os
import py_compile
import runpy
import sys

PACKAGES_FOLDER = "python_packages"
GDIGNORE = ".gdignore"
COMMANDS = ("install", "uninstall", "list", "freeze", "show", "check")
USAGE = (
    "usage: addons/godot_python/pip install|uninstall|list|freeze|show|check [PIP ARGS...]\n"
    "  installs into the project's python_packages/ folder with the addon's own Python"
)


def addon_dir() -> str:
    """lib/godot_export/pip.py -> the addon folder."""
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def project_dir(addon: str) -> str:
    """The project that holds the addon (…/project/addons/godot_python)."""
    return os.path.dirname(os.path.dirname(addon))


def packages_dir(project: str) -> str:
    folder = os.path.join(project, PACKAGES_FOLDER)
    os.makedirs(folder, exist_ok=True)
    marker = os.path.join(folder, GDIGNORE)
    if not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as out:
            out.write("")  # the editor skips folders holding this file
    return folder


def pip_arguments(command: str, args: list[str], packages: str) -> list[str]:
    """The pip command line for one project command (pure; unit-tested)."""
    if command == "install":
        return ["install", "--target", packages, "--upgrade", "--no-warn-script-location", *args]
    if command in ("list", "freeze"):
        return [command, "--path", packages, *args]
    return [command, *args]  # uninstall, show, check: packages on sys.path (see main)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    project = project_dir(addon_dir())
    if not os.path.isfile(os.path.join(project, "project.godot")):
        print(
            f"godot_python pip: {project} is not a Godot project (no project.godot); "
            "the addon must be in PROJECT/addons/godot_python",
            file=sys.stderr,
        )
        return 2
    packages = packages_dir(project)
    os.environ.setdefault("PIP_ROOT_USER_ACTION", "ignore")  # pip's warning is about system Pythons
    # uninstall/show/check find installed distributions through sys.path.
    sys.path.insert(0, packages)
    sys.argv = ["pip", *pip_arguments(argv[0], argv[1:], packages)]
    try:
        runpy.run_module("pip", run_name="__main__", alter_sys=True)
        status = 0
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    if argv[0] == "install" and status == 0:
        compile_for_export(packages)
    return status


def compile_for_export(packages: str) -> None:
    """Bytecode that does not depend on file times (pip's does): an export copies the
    packages without their times, and would otherwise ship bytecode the game recompiles
    on every start. The export checks it again (godot_export.stage); doing it here, once
    per install, keeps exports fast."""
    compileall.compile_dir(
        packages, quiet=2, force=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
