"""Reads what the runtime tools need from an ELF shared object, with the standard library only:
its DT_NEEDED entries, its RPATH/RUNPATH, and the glibc symbol versions it requires
(GLIBC_x.y in .gnu.version_r). 64-bit little-endian files only (x86_64, aarch64)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
ELFCLASS64 = 2
ELFDATA2LSB = 1
SHT_DYNAMIC = 6
SHT_GNU_VERNEED = 0x6FFFFFFE
DT_NULL = 0
DT_NEEDED = 1
DT_RPATH = 15
DT_RUNPATH = 29
# Libraries every glibc system provides: a bundled file may need them, the bundle never holds them.
GLIBC_LIBS = {
    "libc.so.6",
    "libm.so.6",
    "libpthread.so.0",
    "libdl.so.2",
    "librt.so.1",
    "libutil.so.1",
    "libresolv.so.2",
    "ld-linux-x86-64.so.2",
    "libanl.so.1",
}
GLIBC_VERSION = re.compile(r"^GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")


class NotElf(ValueError):
    """The file is not a 64-bit little-endian ELF object."""


@dataclass
class ElfInfo:
    needed: list[str] = field(default_factory=list)
    rpath: str | None = None
    runpath: str | None = None
    # library soname -> version names required from it (e.g. "libc.so.6" -> {"GLIBC_2.34"})
    version_needs: dict[str, set[str]] = field(default_factory=dict)

    def glibc_versions(self) -> set[tuple[int, ...]]:
        """Every GLIBC_x.y this object requires, as (x, y) tuples."""
        found = set()
        for names in self.version_needs.values():
            for name in names:
                m = GLIBC_VERSION.match(name)
                if m:
                    found.add(tuple(int(g) for g in m.groups() if g is not None))
        return found

    def max_glibc(self) -> tuple[int, ...] | None:
        versions = self.glibc_versions()
        return max(versions) if versions else None


def is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == ELF_MAGIC
    except OSError:
        return False


def _cstring(blob: bytes, offset: int) -> str:
    end = blob.index(b"\0", offset)
    return blob[offset:end].decode()


def read(path: Path | str) -> ElfInfo:
    return parse(Path(path).read_bytes(), str(path))


def parse(data: bytes, name: str = "<bytes>") -> ElfInfo:
    """The ElfInfo of an ELF image held in memory (e.g. read out of a zip)."""
    if data[:4] != ELF_MAGIC or data[4] != ELFCLASS64 or data[5] != ELFDATA2LSB:
        raise NotElf(f"{name}: not a 64-bit little-endian ELF file")
    (e_shoff,) = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = []
    for i in range(e_shnum):
        # sh_name, sh_type, sh_flags, sh_addr, sh_offset, sh_size, sh_link, sh_info, sh_addralign, sh_entsize
        sections.append(struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize))
    info = ElfInfo()
    for _, sh_type, _, _, offset, size, link, sh_info, _, _ in sections:
        if sh_type == SHT_DYNAMIC:
            strtab = sections[link]
            strings = data[strtab[4] : strtab[4] + strtab[5]]
            for pos in range(offset, offset + size, 16):
                tag, value = struct.unpack_from("<qQ", data, pos)
                if tag == DT_NULL:
                    break
                if tag == DT_NEEDED:
                    info.needed.append(_cstring(strings, value))
                elif tag == DT_RPATH:
                    info.rpath = _cstring(strings, value)
                elif tag == DT_RUNPATH:
                    info.runpath = _cstring(strings, value)
        elif sh_type == SHT_GNU_VERNEED:
            strtab = sections[link]
            strings = data[strtab[4] : strtab[4] + strtab[5]]
            pos = offset
            for _ in range(sh_info):  # sh_info: number of Verneed entries
                _, vn_cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", data, pos)
                names = info.version_needs.setdefault(_cstring(strings, vn_file), set())
                aux = pos + vn_aux
                for _ in range(vn_cnt):
                    _, _, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                    names.add(_cstring(strings, vna_name))
                    aux += vna_next
                if not vn_next:
                    break
                pos += vn_next
    return info
