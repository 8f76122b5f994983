"""Zip metadata → a decompression bomb refused before a byte is inflated: more parts
than a return has, a central directory too large to load, more unpacked data than a
return holds, an absurd compression ratio, an XML part too large to parse in memory;
and what no application writes (an encrypted part, an unknown compression)."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from typing import BinaryIO

from .content_types import xml_name
from .limits import MAX_DIRECTORY_BYTES, MAX_PARTS, MAX_RATIO, MAX_UNPACKED_BYTES, MAX_XML_PART_BYTES, RATIO_FLOOR
from .refusals import Kind, as_size, bomb, damaged, refuse


def directory_size(path: Path, kind: Kind, f: BinaryIO, size: int) -> None:
    """Read the zip's end record ourselves: zipfile would load the whole central
    directory (and a ZipInfo per entry) before we could count them."""
    tail_len = min(size, 22 + 0xFFFF + 20 + 56)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    pos = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return  # no end record: zipfile refuses it as not a zip
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4s4H2LH", tail[pos:pos + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        record = tail[pos - 76:pos - 20] if pos >= 76 else b""
        if tail[pos - 20:pos - 16] != b"PK\x06\x07" or record[:4] != b"PK\x06\x06":
            raise damaged(path, kind, "its zip end record points to a record that is not there")
        fields = struct.unpack("<4sQ2H2L4Q", record)
        entries, cd_size = fields[7], fields[8]
    if entries > MAX_PARTS:
        raise bomb(path, f"it holds {entries:,} parts; the limit is {MAX_PARTS:,}")
    if cd_size > MAX_DIRECTORY_BYTES:
        raise bomb(path, f"its table of contents is {as_size(cd_size)}; the limit is {as_size(MAX_DIRECTORY_BYTES)}")


def check_entries(path: Path, kind: Kind, zf: zipfile.ZipFile) -> None:
    """Everything zip metadata can tell, before a byte is inflated."""
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise bomb(path, f"it holds {len(infos):,} parts; the limit is {MAX_PARTS:,}")
    total = 0
    for info in infos:
        where = f"part '{info.filename[:80]}'"
        if info.flag_bits & 0x1:
            raise refuse(path, "is encrypted inside (a zip password)", "remove the password and send it again",
                         where)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(path, kind, f"compression method {info.compress_type}, which {kind.app} never uses",
                          where)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise bomb(path, f"it unpacks to more than {as_size(MAX_UNPACKED_BYTES)}, the limit")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise bomb(path, f"it unpacks from {as_size(info.compress_size)} to {as_size(info.file_size)} "
                       f"({ratio:,}:1; the limit is {MAX_RATIO}:1)", where)
        if xml_name(info.filename) and info.file_size > MAX_XML_PART_BYTES:
            raise refuse(path, f"is too large to read: it unpacks to {as_size(info.file_size)}; "
                         f"the limit for one part is {as_size(MAX_XML_PART_BYTES)}",
                         "split the return into smaller files", where)
