"""Small pieces every writer of Office Open XML files here needs: packages whose
bytes depend only on their contents, a Word bullet list definition, a new workbook."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

WORD_BULLETS = (("\uf0b7", "Symbol"), ("o", "Courier New"), ("\uf0a7", "Wingdings"))  # as Word's button


def new_workbook() -> tuple[Workbook, Worksheet]:
    """A new openpyxl workbook and its one sheet."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook's only sheet is a worksheet
    return book, sheet


def stable_zip(data: bytes, when: datetime) -> bytes:
    """The same package with its entries in order, every one dated `when`, with the
    same compression and no host-specific attributes: reproducible bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for entry in src.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(entry.filename), compresslevel=6)
    return out.getvalue()


def add_bullet_list(doc: Any, bullets: tuple[tuple[str, str], ...] = WORD_BULLETS, nsid: int = 0x51A4B000) -> int:
    """Add a bullet list definition, one (marker, font) per level, to a python-docx
    document's numbering; return the numId that paragraphs refer to."""
    numbering = doc.part.numbering_part.element
    ids = [int(x) for x in numbering.xpath("./w:abstractNum/@w:abstractNumId")]
    abstract_id = max(ids, default=-1) + 1
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:lvlText w:val="{char}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:hint="default"/></w:rPr>'
        f"</w:lvl>"
        for i, (char, font) in enumerate(bullets)
    )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{nsid + abstract_id:08X}"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
    )
    existing = numbering.xpath("./w:abstractNum")
    if existing:
        existing[-1].addnext(abstract)  # every abstractNum comes before the first num
    else:
        numbering.insert(0, abstract)
    return int(numbering.add_num(abstract_id).numId)
