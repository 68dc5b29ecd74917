"""Hot reload: saving a class module under res://python reloads it within a second.

A throwaway project's res://python/hot.py is overwritten by GDScript while Godot runs (a game,
and the editor through a test-only plugin), and the script checks what Godot and the live
object see: the new methods, property, signal and constant in ClassDB, the object created
before the save running the new code with its state kept, a new object using the new
`__init__` (zero-argument super() included), the new `_to_string` virtual; a broken version
reported with its traceback while the previous one keeps working; and 100 reloads leaving one
class object and one module behind.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from harness.project import addon_project

pytestmark = pytest.mark.godot

HERE = Path(__file__).parent
RELOADS = 100

MODULE = '''"""The module hot reload tests overwrite (version {version})."""

import gc
import types

from godot import Property, RefCounted, Signal, method

VERSION = {version}


class PyHot(RefCounted):
    count = Property(int, default=0)
{extra_members}
    def __init__(self):
        super().__init__()
        self._hits = 0

    @method
    def version(self) -> int:
        return VERSION

    @method
    def bump(self) -> None:
        self._hits += 1

    @method
    def hits(self) -> int:
        return self._hits

    @method
    def alive(self) -> str:
        """How many PyHot class objects and `hot` modules are still alive."""
        gc.collect()
        objects = gc.get_objects()
        classes = sum(1 for o in objects if isinstance(o, type) and o.__name__ == "PyHot")
        modules = sum(1 for o in objects if isinstance(o, types.ModuleType) and o.__name__ == "hot")
        return f"classes={{classes}} modules={{modules}}"

    def _to_string(self):
        return "<PyHot v{version}>"
'''

V2_MEMBERS = """    greeted = Signal(name=str)
    mood = Property(str, default="calm")
    label = Property(str, default="x")
    ANSWER = Constant(42)

    @method
    def greet(self, name: str) -> str:
        self.greeted.emit(name)
        return "Hello " + name + " from v" + str(VERSION)

    @method
    def double(self, x: int) -> int:
        \"\"\"Doubles its argument.\"\"\"
        return x * 2
"""

# What ClassDB cannot follow: greet() and label removed, mood re-typed, double() re-typed.
V3_MEMBERS = """    greeted = Signal(name=str)
    mood = Property(int, default=3)
    ANSWER = Constant(42)

    @method
    def double(self, x: float) -> float:
        \"\"\"Doubles its argument, reloaded: now x * 2.5.\"\"\"
        return x * 2.5
"""


def module_source(version: int, v2: bool = False, members: str = "") -> str:
    members = members or (V2_MEMBERS if v2 else "")
    source = MODULE.format(version=version, extra_members=members)
    if members:
        source = source.replace("from godot import Property", "from godot import Constant, Property")
    return source


BROKEN = module_source(3, v2=True).replace("def greet(self, name: str) -> str:", "def greet(self, name: str) -> str")


def make_project(tmp_path: Path, godot_project: Path, editor_plugin: bool = False) -> Path:
    project = tmp_path / "hot_project"
    (project / "python").mkdir(parents=True)
    (project / "versions").mkdir()
    (project / "python" / "hot.py").write_text(module_source(1))
    (project / "versions" / "v2.txt").write_text(module_source(2, v2=True))
    (project / "versions" / "broken.txt").write_text(BROKEN)
    (project / "versions" / "v3.txt").write_text(module_source(3000, members=V3_MEMBERS))
    (project / "versions" / "v4.txt").write_text(module_source(4000, v2=True))
    for i in range(RELOADS):  # consecutive versions differ in size, so each save is seen
        (project / "versions" / f"loop{i}.txt").write_text(module_source(1000 + i, v2=True) + "#" * (i % 2))
    shutil.copy(HERE / "hot_reload.gd", project / "hot_reload.gd")
    shutil.copy(HERE / "main.gd", project / "main.gd")
    probe = HERE / "editor_probe" if editor_plugin else None
    return addon_project(project, "hot", godot_project / "addons" / "godot_python", editor_probe=probe)


def check_reloads(out: str, loops: int) -> None:
    took = re.search(r"reloaded v2 after ([\d.]+) s", out)
    assert took, out[-5000:]
    assert float(took.group(1)) < 1.0, took.group(0)
    assert "old object: version 2 count 5 hits 1" in out, out[-5000:]  # new code, state kept
    assert "old object greets: Hello Ada from v2" in out, out[-5000:]
    assert "ClassDB: greet true, greeted true, ANSWER 42, mood true" in out, out[-5000:]
    assert "new object: version 2 hits 0 mood calm" in out, out[-5000:]
    assert "to_string: <PyHot v2>" in out, out[-5000:]
    broken = re.search(
        r"ERROR: Godot Python: reloading the class module 'hot' failed; the previous version keeps running\n"
        r"Traceback.*?SyntaxError: expected ':'",
        out,
        re.DOTALL,
    )
    assert broken, out[-5000:]
    assert "after the broken save: version 2 greets Hello Bob from v2" in out, out[-5000:]
    assert f"after {loops} reloads: version {1000 + loops - 1} hits 1" in out, out[-5000:]
    assert "alive: classes=1 modules=1" in out, out[-5000:]
    check_stale_members(out)
    assert "hot reload checks done" in out, out[-5000:]
    assert "leaked" not in out.lower(), out[-5000:]


def check_stale_members(out: str) -> None:
    """v3 removes and re-types members ClassDB holds (see hot_reload.gd's last part)."""
    assert "typed before v3: double 6" in out, out[-5000:]
    assert (
        "WARNING: Godot Python: PyHot reloaded; ClassDB cannot drop or re-declare a member of a registered class, "
        "so until a restart removed methods stay bound and a call reports the removal: greet(); methods with a "
        "changed signature run the new code (untyped calls by the new signature, typed GDScript calls converted "
        "from the old one that ClassDB and GDScript's checks keep): double(); removed properties are hidden from "
        "the inspector and saved scenes (ClassDB lists them): label; re-typed properties are edited as the new "
        "type (ClassDB lists the old one): mood\n"
    ) in out, out[-5000:]
    assert "v3: untyped double 7.5" in out, out[-5000:]  # the new signature and code
    assert "v3: typed double 7" in out, out[-5000:]  # int 3 -> 3.0 -> 7.5 -> the bound int return
    removed = "ERROR: Godot Python: PyHot.greet() was removed by a hot reload; ClassDB keeps it until a restart"
    assert out.count(removed) >= 2, out[-5000:]  # a Variant call and a typed (ptr) call
    assert "v3: removed greet [<null>], typed []" in out, out[-5000:]
    # a value stored under the old type that does not convert to the new one is reported
    assert "ERROR: PyHot.get_mood() returned a value of the wrong type\nTypeError: expected int, got Python str" in out
    assert "v3: mood 7 int, listed as type 2; label hidden true" in out, out[-5000:]
    assert "v3: ClassDB greet true, label listed true" in out, out[-5000:]  # until a restart
    assert "flips: 6 done with calls, odd results 0" in out, out[-5000:]  # a thread calling across the flips


def test_hot_reload_in_a_debug_run(run_godot, godot_project, tmp_path):
    project = make_project(tmp_path, godot_project)
    run = run_godot(["--headless", "--path", project, "--script", "res://main.gd"], timeout=180)
    assert run.exit_code == 0, run.output[-5000:]
    check_reloads(run.output, RELOADS)


def test_hot_reload_in_the_editor(run_godot, godot_project, tmp_path):
    project = make_project(tmp_path, godot_project, editor_plugin=True)
    run = run_godot(["--editor", "--headless", "--path", project], timeout=180)
    assert run.exit_code == 0, run.output[-5000:]
    check_reloads(run.output, 10)
    # The help page the editor shows, opened after the reloads: v3's members and descriptions.
    help_text = re.search(r"help page: (.*?) :end of help page", run.output, re.DOTALL)
    assert help_text, run.output[-5000:]
    page = help_text.group(1).replace("\xa0", " ")
    assert "double(x: float)" in page and "Doubles its argument, reloaded: now x * 2.5." in page, page
    assert "greet(" not in page and not re.search(r"\blabel\b", page), page  # gone (ClassDB keeps them)
    assert "intmood" in page, page  # the properties table (type, name): mood re-typed to int
    assert "ANSWER = 42" in page and "greeted(name: String)" in page, page


SHOP = {
    "__init__.py": "from .items import PyItem\nfrom . import labels\n\n__all__ = ['PyItem', 'labels']\n",
    "items.py": (
        "from godot import RefCounted, method\n\nfrom . import labels\nfrom .rates import RATE\n\n\n"
        "class PyItem(RefCounted):\n"
        "    @method\n    def price(self) -> int:\n        return 10 * RATE\n\n"
        "    @method\n    def label(self) -> str:\n        return labels.LABEL\n"
    ),
    "rates.py": "RATE = 2\n",
    "labels.py": "LABEL = 'plain'\n",
}


def test_package_submodules_reload_in_a_debug_run(run_godot, godot_project, tmp_path):
    """A saved submodule of a package runs again with the modules that import it, dependencies
    first, and the class's live object runs the new code; a broken one changes nothing."""
    project = make_project(tmp_path, godot_project)
    (project / "python" / "hot.py").unlink()
    shop = project / "python" / "shop"
    shop.mkdir()
    for name, text in SHOP.items():
        (shop / name).write_text(text)
    (project / "versions" / "rates_v2.txt").write_text("RATE = 3\n")
    (project / "versions" / "labels_v2.txt").write_text("LABEL = 'fancy'\n")
    # the same size as rates_v2.txt, saved within the same second: the bytecode cache must not answer
    (project / "versions" / "rates_broken.txt").write_text("RATE = (\n")
    shutil.copy(HERE / "package_main.gd", project / "package_main.gd")
    run = run_godot(["--headless", "--path", project, "--script", "res://package_main.gd"], timeout=120)
    out = run.output
    assert run.exit_code == 0, out[-5000:]
    assert "before: price 20 label plain" in out, out[-5000:]
    assert "Godot Python: reloaded 'shop.rates, shop.items, shop' (PyItem)" in out, out[-5000:]
    assert "after rates.py: price 30 label plain" in out, out[-5000:]
    # labels.py: items.py reads labels.LABEL through the module, and `from . import labels` makes
    # items.py an importer too, so it runs again with the new module
    assert "after labels.py: price 30 label fancy" in out, out[-5000:]
    assert re.search(
        r"ERROR: Godot Python: reloading the class module 'shop.rates, .*' failed; the previous version keeps running\n"
        r"Traceback.*?SyntaxError",
        out,
        re.DOTALL,
    ), out[-5000:]
    assert "after the broken save: price 30" in out, out[-5000:]
    assert "package checks done" in out, out[-5000:]
