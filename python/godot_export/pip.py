"""pip for one Godot project: packages go into the project's `python_packages/` folder.

Run by the addon's own interpreter (the runtime's python3.11), never the machine's Python,
so wheels match the Python the game runs (cp311) and the machine's glibc:

    addons/godot_python/pip install numpy        (from the project folder; a shell launcher)
    addons/godot_python/pip uninstall -y numpy
    addons/godot_python/pip list

`tools/pip PROJECT_DIR ...` in the repository runs the same launcher. pip reads the
machine's own configuration (pip.conf, PIP_* variables: its index, mirror, certificates).

`python_packages/` holds a `.gdignore`, so the editor neither scans nor imports its
thousands of files; the addon puts the folder on sys.path in the editor, in runs and (copied
next to the game) in exports. It belongs to the project: updating the addon keeps it.

This file runs as a script under `-I` (isolated: no script folder on sys.path), so it
uses the standard library only.
"""

from __future__ import annotations

import os
import runpy
import sys

PACKAGES_FOLDER = "python_packages"
GDIGNORE = ".gdignore"
COMMANDS = ("install", "uninstall", "list", "freeze", "show", "check")
USAGE = ("usage: addons/godot_python/pip install|uninstall|list|freeze|show|check [PIP ARGS...]\n"
         "  installs into the project's python_packages/ folder with the addon's own Python")


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
        print(f"godot_python pip: {project} is not a Godot project (no project.godot); "
              "the addon must be in PROJECT/addons/godot_python", file=sys.stderr)
        return 2
    packages = packages_dir(project)
    os.environ.setdefault("PIP_ROOT_USER_ACTION", "ignore")  # pip's warning is about system Pythons
    # uninstall/show/check find installed distributions through sys.path.
    sys.path.insert(0, packages)
    sys.argv = ["pip", *pip_arguments(argv[0], argv[1:], packages)]
    try:
        runpy.run_module("pip", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
