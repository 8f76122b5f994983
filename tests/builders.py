"""Make small submissions in code, the way Word and Excel store them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .present import sheet as active


def bullet(paragraph, level: int, num_id: int = 1) -> None:
    """Give a paragraph Word list numbering at a level, as the bullet button does."""
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), str(num_id))
    numpr.append(ilvl)
    numpr.append(num)
    ppr.insert(0, numpr)


class Numbered(NamedTuple):
    """A Word paragraph's own list numbering: the list (<w:num>) it is numbered by, and its level (0 the first)."""

    num_id: int
    level: int


def numbered(paragraph: Paragraph) -> Numbered | None:
    """The list numbering of a paragraph, as `bullet` gives it, read back; None when it has none of its own."""
    found = paragraph._p.xpath("./w:pPr/w:numPr")  # python-docx's own <w:numPr>, which reads its values as ints
    return Numbered(found[0].numId.val, found[0].ilvl.val) if found else None


def word(path: Path, lines: list[Any]) -> Path:
    """lines: plain strings (body paragraphs), ("h", text) a Heading 1,
    (level, text) a bullet at that level, ("style", name, text) a styled paragraph."""
    d = docx.Document()
    for line in lines:
        if isinstance(line, str):
            d.add_paragraph(line)
        elif line[0] == "h":
            d.add_heading(line[1], level=1)
        elif line[0] == "style":
            d.add_paragraph(line[2], style=line[1])
        elif line[0] == "bold":
            d.add_paragraph().add_run(line[1]).bold = True
        else:
            p = d.add_paragraph(style="List Paragraph")
            _runs(p, line[1])
            bullet(p, line[0])
    d.save(str(path))
    return path


def _runs(p, text: str) -> None:
    """'plain **bold** *italic*' as runs with emphasis."""
    import re

    for part in re.split(r"(\*\*.+?\*\*|\*.+?\*)", text):
        if part.startswith("**"):
            p.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and len(part) > 2:
            p.add_run(part[1:-1]).italic = True
        elif part:
            p.add_run(part)


def excel(path: Path, rows: list[list[Any]], header=("Priority", "Commitment", "District", "Level", "Update"),
          above: Sequence[list[Any]] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = active(book)
    sheet.title = "Updates"
    for row in above:
        sheet.append(row)
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def read(path: Path, plan):
    """A file read (``readers.read``) and resolved against the plan, as a build does:
    (submissions, problems). InputError when it cannot be read at all."""
    from assemble import readers
    from assemble.resolve import resolve

    return resolve(readers.read(path), plan)


def update_texts(subs) -> list[str]:
    """The text of every update of the submissions, children after their parent, in order."""
    def walk(u):
        yield u.text
        for c in u.children:
            yield from walk(c)

    return [text for sub in subs for c in sub.contributions for u in c.updates for text in walk(u)]


def outline(sub):
    """(commitment, district, [(label, text, depth)]) per contribution."""
    def walk(u, depth):
        yield (u.label, u.text, depth)
        for c in u.children:
            yield from walk(c, depth + 1)

    return [(c.commitment, c.district, [x for u in c.updates for x in walk(u, 0)])
            for c in sub.contributions]
