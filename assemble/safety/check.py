"""A submission file → passed, or refused with an InputError naming it: the check
every reader runs before any library opens the file, looking only at bytes and zip
metadata, with bounded reads.

In order: the file's size and what its first bytes say it is (``sniff``); the zip's
end record and entries, before a byte is inflated (``bombs``); then every part read
once, streaming, to its end (which checks its CRC), the XML parts' heads scanned
(``xml_heads``) and a workbook's sheets counted (``sheets``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import describe_os_error
from .bombs import check_entries, directory_size
from .content_types import ContentTypes, wrong_inside, xml_name
from .limits import MAX_FILE_BYTES, MB
from .refusals import Kind, as_size, damaged, refuse
from .sheets import SheetScan
from .sniff import CHUNK, sniff
from .unpacking import ZIP_ERRORS, unpacking
from .xml_heads import HEAD_BYTES, xml_head_problem


def check_package(path: Path) -> None:
    """Raise InputError naming the file if it is not a package it is safe to open."""
    kind = Kind(path.suffix)
    try:
        size = path.stat().st_size
        if size == 0:
            raise refuse(path, "is empty (0 bytes)", "it was not saved or not copied completely: send it again")
        if size > MAX_FILE_BYTES:
            raise refuse(path, f"is {as_size(size)}; the limit is {as_size(MAX_FILE_BYTES)}",
                         "remove or compress its pictures and send it again")
        with path.open("rb") as f:
            head = f.read(16)
            sniff(path, kind, f, head)
            directory_size(path, kind, f, size)
            f.seek(0)
            try:
                zf = zipfile.ZipFile(f)
            except ZIP_ERRORS as exc:
                raise damaged(path, kind, "its table of contents cannot be read") from exc
            with zf:
                check_entries(path, kind, zf)
                _check_contents(path, kind, zf)
    except OSError as exc:
        raise refuse(path, f"cannot be opened: {describe_os_error(exc)[0]}",
                     "check the file is not open elsewhere") from exc


def _check_contents(path: Path, kind: Kind, zf: zipfile.ZipFile) -> None:
    """The right main part, every part intact (CRC), no XML part with a DTD, and
    for a workbook no sheet that would make more than MAX_SHEET_CELLS cells."""
    names = set(zf.namelist())
    if "[Content_Types].xml" not in names:
        raise wrong_inside(path, kind, names)
    types = _read_bounded(path, kind, zf, "[Content_Types].xml", 4 * MB)
    if kind.main_part not in names and not any(t in types for t in kind.main_types):
        raise wrong_inside(path, kind, names)
    declared = ContentTypes(types)
    for info in zf.infolist():
        if info.is_dir():
            continue
        where = f"part '{info.filename[:80]}'"
        xml = declared.is_xml(info.filename)
        try:
            with zf.open(info) as part:
                chunk = part.read(HEAD_BYTES)
                problem = xml_head_problem(chunk, complete=len(chunk) < HEAD_BYTES) if xml else None
                sheet = SheetScan() if kind.excel and xml and not problem and xml_name(info.filename) else None
                while chunk:  # reading to the end checks the CRC
                    if sheet:
                        sheet.feed(chunk)
                    chunk = part.read(CHUNK)
        except ZIP_ERRORS as exc:
            raise damaged(path, kind, unpacking(exc), where) from exc
        if problem:
            raise refuse(path, problem, f"it was not saved by {kind.app}: {kind.save_as}", where)
        if sheet and (too_big := sheet.problem()):
            raise refuse(path, too_big, "delete the empty rows and columns after your table and any "
                         "stray cell far from it, save, and send it again", where)


def _read_bounded(path: Path, kind: Kind, zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        with zf.open(name) as part:
            return part.read(limit)
    except ZIP_ERRORS as exc:
        raise damaged(path, kind, unpacking(exc), f"part '{name}'") from exc
