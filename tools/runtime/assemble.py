"""Lays out the addon's relocatable CPython runtime from Debian 12 binary packages.

Run inside the Debian 12 build root (tools/runtime/build does it), where `apt-get download`
fetches the packages of debs.txt at the build root's frozen versions:

    python3 tools/runtime/assemble.py WORK_DIR WHEELS_DIR OUT_DIR

OUT_DIR receives the tree described in tools/runtime/README.md: bin/python3.11,
lib/libpython3.11.so.1.0 with the shared libraries the kept extension modules need, the
standard library compiled to bytecode, lib-dynload, pip and certifi in lib/python3/dist-packages,
the headers, the licenses, and MANIFEST.txt. Every ELF file gets a DT_RPATH relative to
$ORIGIN, so the tree works wherever it is copied. The assembly fails, naming the file, when a
kept ELF file needs a library that is neither glibc's nor bundled.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import elf  # noqa: E402

HERE = Path(__file__).resolve().parent
PY = "python3.11"
MULTIARCH = "x86_64-linux-gnu"
# Standard library parts a game never needs, or that drag in libraries not worth bundling.
STDLIB_DROP = {
    "test",
    "config-3.11-x86_64-linux-gnu",
    "EXTERNALLY-MANAGED",
    "sitecustomize.py",
    "curses",
    "venv",
    "turtle.py",
    "crypt.py",
    "lib-dynload",
}
# Extension modules left out: test modules, and those needing ncurses, readline, Berkeley DB,
# NIS, libcrypt or OSS audio.
DYNLOAD_DROP_PREFIXES = (
    "_test",
    "_ctypes_test",
    "_xxtestfuzz",
    "xxlimited",
    "_curses",
    "readline",
    "_dbm",
    "nis",
    "_crypt",
    "ossaudiodev",
)
# Where each kind of ELF file finds the bundled libraries (lib/ of the runtime).
RPATH_BIN = "$ORIGIN/../lib"
RPATH_LIB = "$ORIGIN"
RPATH_DYNLOAD = "$ORIGIN/../.."


def run(*cmd: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(c) for c in cmd], cwd=cwd, check=True)


def package_list() -> list[str]:
    lines = (HERE / "debs.txt").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def download_and_extract(work: Path) -> tuple[Path, dict[str, str]]:
    debs, root = work / "debs", work / "root"
    shutil.rmtree(work, ignore_errors=True)
    debs.mkdir(parents=True)
    packages = package_list()
    run("apt-get", "-q", "-o", "Acquire::Check-Valid-Until=false", "download", *packages, cwd=debs)
    versions = {}
    for deb in sorted(debs.glob("*.deb")):
        run("dpkg-deb", "-x", deb, root)
        fields = subprocess.run(
            ["dpkg-deb", "-f", str(deb), "Package", "Version"], check=True, capture_output=True, text=True
        ).stdout.splitlines()
        name, version = (f.split(": ", 1)[1] for f in fields)
        versions[name] = version
    missing = set(packages) - set(versions)
    if missing:
        sys.exit(f"assemble: packages not downloaded: {sorted(missing)}")
    return root, versions


def find_library(root: Path, soname: str) -> Path | None:
    for d in (root / "lib" / MULTIARCH, root / "usr/lib" / MULTIARCH):
        if (d / soname).exists():
            return (d / soname).resolve()
    return None


def copy_stdlib(root: Path, out: Path) -> None:
    src, dst = root / "usr/lib" / PY, out / "lib" / PY
    for entry in src.iterdir():
        if entry.name in STDLIB_DROP:
            continue
        if entry.is_dir():
            shutil.copytree(entry, dst / entry.name, symlinks=False, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(entry, dst / entry.name)
    dynload = dst / "lib-dynload"
    dynload.mkdir()
    for module in sorted((src / "lib-dynload").iterdir()):
        if not module.name.startswith(DYNLOAD_DROP_PREFIXES):
            shutil.copy2(module, dynload / module.name)


def lay_out(root: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    for d in ("bin", "lib/" + PY, "include", "licenses"):
        (out / d).mkdir(parents=True)
    shutil.copy2(root / "usr/bin" / PY, out / "bin" / PY)
    shutil.copy2(root / "usr/lib" / MULTIARCH / "libpython3.11.so.1.0", out / "lib")
    copy_stdlib(root, out)
    shutil.copytree(root / "usr/include" / PY, out / "include" / PY)
    shutil.copytree(root / "usr/include" / MULTIARCH / PY, out / "include" / MULTIARCH / PY)
    for doc in sorted((root / "usr/share/doc").iterdir()):
        if (doc / "copyright").is_file():
            shutil.copy2(doc / "copyright", out / "licenses" / doc.name)


def bundle_libraries(root: Path, out: Path) -> None:
    """Copies every non-glibc library the kept ELF files need (transitively) into lib/."""
    lib = out / "lib"
    pending = [p for p in out.rglob("*") if p.is_file() and elf.is_elf(p)]
    while pending:
        path = pending.pop()
        for soname in elf.read(path).needed:
            if soname in elf.GLIBC_LIBS or (lib / soname).exists():
                continue
            found = find_library(root, soname)
            if found is None:
                sys.exit(
                    f"assemble: {path.relative_to(out)} needs {soname}, which is neither glibc's "
                    "nor in debs.txt: add its package or drop the module"
                )
            shutil.copy2(found, lib / soname)
            pending.append(lib / soname)


def set_rpaths(out: Path) -> None:
    for path in sorted(p for p in out.rglob("*") if p.is_file() and elf.is_elf(p)):
        rel = path.relative_to(out)
        if rel.parts[0] == "bin":
            rpath = RPATH_BIN
        elif rel.parent == Path("lib"):
            rpath = RPATH_LIB
        else:
            rpath = RPATH_DYNLOAD
        path.chmod(0o755)
        run("patchelf", "--force-rpath", "--set-rpath", rpath, path)


def install_wheels(out: Path, wheels: Path) -> list[str]:
    target = out / "lib/python3/dist-packages"
    pip_wheel = next(wheels.glob("pip-*.whl"))
    run(
        out / "bin" / PY,
        "-I",
        f"{pip_wheel}/pip",
        "install",
        "--quiet",
        "--no-index",
        "--no-compile",
        "--disable-pip-version-check",
        "--find-links",
        wheels,
        "--target",
        target,
        "-r",
        HERE / "wheels.txt",
    )
    shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts with this machine's paths
    return sorted(w.name for w in wheels.glob("*.whl"))


def compile_bytecode(out: Path) -> None:
    # unchecked-hash: valid whatever the files' times become (zip archives round them).
    run(
        out / "bin" / PY,
        "-I",
        "-m",
        "compileall",
        "-q",
        "-j0",
        "--invalidation-mode",
        "unchecked-hash",
        out / "lib" / PY,
        out / "lib/python3/dist-packages",
    )


def write_manifest(out: Path, versions: dict[str, str], wheels: list[str]) -> None:
    lines = ["# The Debian 12 packages and PyPI wheels this runtime was assembled from.", ""]
    lines += [f"deb {name} {version}" for name, version in sorted(versions.items())]
    lines += [f"wheel {name}" for name in wheels]
    (out / "MANIFEST.txt").write_text("\n".join(lines) + "\n")


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    work, wheels, out = (Path(a).resolve() for a in sys.argv[1:])
    root, versions = download_and_extract(work)
    lay_out(root, out)
    bundle_libraries(root, out)
    set_rpaths(out)
    os.chmod(out / "bin" / PY, 0o755)
    wheel_names = install_wheels(out, wheels)
    compile_bytecode(out)
    write_manifest(out, versions, wheel_names)
    # Godot's editor neither scans nor imports the runtime (thousands of files, none a resource).
    (out / ".gdignore").write_text("")
    shutil.rmtree(work)
    print(f"assemble: runtime laid out in {out}")


if __name__ == "__main__":
    main()
