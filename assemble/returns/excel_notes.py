"""Notes added to a workbook's cells, in its own XML: Excel's legacy comments part
(xl/commentsN.xml) and the VML drawing that shows each note (xl/drawings/vmlDrawingN.vml,
the sheet's ``<legacyDrawing r:id>``), made with their relationships and content types
when the sheet has none, extended when it has.

The sheet's own notes and threaded comments stay as they are: Excel holds one note a
cell, so a note for a cell that already has one goes on the next free cell to its
right, saying after its text which cell it is about (the text's opening, the unit's
mark, stays first). The VML is extended as text, before its closing
tag, because Excel's VML is not always well-formed XML; nothing else in it is rewritten.
The unit's own notes of an earlier copy, sent back with them still in it, are taken out
with their shapes (``remove_signed``), so that notes never stack from one round to the
next.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from .repack import CannotEdit, Element, Repack, local, namespace

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"
# What may follow <legacyDrawing> in a worksheet (ECMA-376 CT_Worksheet's sequence).
_AFTER = {"legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
          "extLst"}
_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
# The VML this writes declares its own prefixes on each element it adds: a drawing's own
# may use others (openpyxl writes ns0:, ns1: …), so nothing here assumes a prefix of its.
_VML_NS = ('xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel"')
_SHAPETYPE = (f'<v:shapetype {_VML_NS} id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
              'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
              '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>')
_P = r"(?:[\w.-]+:)?"  # any prefix, or none


def add_notes(package: Repack, sheet: str, notes: Mapping[str, Sequence[str]], author: str) -> int:
    """Each cell's texts ("E7" -> texts) as one note by `author` on the sheet (its part);
    how many notes were added. The texts are written as given, a line each."""
    if not any(notes.values()):
        return 0
    root = package.xml(sheet)
    if root is None:
        raise CannotEdit(f"its sheet part {sheet} is missing")
    comments_part, comments = _comments(package, sheet, namespace(root))
    vml_part = _vml_part(package, sheet, root)
    s = namespace(comments)
    authors = comments.find(f"{{{s}}}authors")
    names = [a.text or "" for a in authors]
    if author not in names:
        etree.SubElement(authors, f"{{{s}}}author").text = author
        names.append(author)
    listed = comments.find(f"{{{s}}}commentList")
    taken = {(c.get("ref") or "").upper() for c in listed}
    shapes = []
    for ref, texts in notes.items():
        cell = _free(ref.upper(), taken)
        taken.add(cell)
        moved = "" if cell == ref.upper() else f" [about {ref}, which has a note of its own]"
        lines = [f"{text}{moved}" for text in texts]
        listed.append(_note(s, cell, str(names.index(author)), "\n".join(lines)))
        shapes.append(cell)
    if not shapes:
        return 0
    package.put(comments_part, comments)
    package.put(vml_part, _with_shapes(package, vml_part, shapes))
    return len(shapes)


def remove_signed(package: Repack, sheet: str, signed: Callable[[str], bool]) -> int:
    """Take out the sheet's notes whose text `signed` says is the unit's, and their shapes
    in its VML drawing; how many were taken out."""
    part = package.related(sheet, "comments")
    root = package.xml(part) if part else None
    if part is None or root is None:
        return 0
    s = namespace(root)
    gone: set[tuple[int, int]] = set()  # (row, column) from 0, as the drawing names a note's cell
    for note in list(root.iter(f"{{{s}}}comment")):
        text = note.find(f"{{{s}}}text")
        said = "".join(t.text or "" for t in text.iter(f"{{{s}}}t") if local(t.getparent().tag) != "rPh") \
            if text is not None else ""
        m = _CELL.match((note.get("ref") or "").upper())
        if m and signed(said):
            gone.add((int(m.group(2)) - 1, column_index_from_string(m.group(1)) - 1))
            note.getparent().remove(note)
    if not gone:
        return 0
    package.put(part, root)
    sheet_root = package.xml(sheet)
    legacy = sheet_root.find(f"{{{namespace(sheet_root)}}}legacyDrawing") if sheet_root is not None else None
    r = package.ns("http://schemas.openxmlformats.org/officeDocument/2006/relationships")
    vml = package.target(sheet, legacy.get(f"{{{r}}}id") or "") if legacy is not None else None
    data = package.read(vml) if vml else None
    if vml and data is not None:
        text = data.decode("utf-8", "surrogateescape")
        kept = _SHAPE.sub(lambda m: "" if _note_cell(m.group(0)) in gone else m.group(0), text)
        package.put(vml, kept.encode("utf-8", "surrogateescape"))
    return len(gone)


_SHAPE = re.compile(rf"<(?P<p>{_P})shape\b.*?</(?P=p)shape>", re.DOTALL)


def _note_cell(shape: str) -> tuple[int, int] | None:
    """The (row, column) of the cell a note's shape is drawn for; None for another shape."""
    if not re.search(r"ObjectType\s*=\s*[\"']Note[\"']", shape):
        return None
    row, column = re.search(rf"<{_P}Row>\s*(\d+)", shape), re.search(rf"<{_P}Column>\s*(\d+)", shape)
    return (int(row.group(1)), int(column.group(1))) if row and column else None


def _comments(package: Repack, sheet: str, main: str) -> tuple[str, Element]:
    """The sheet's comments part and its root (authors and list made when missing): its
    own, or a new one related to the sheet."""
    found = package.related(sheet, "comments")
    root = package.xml(found) if found else None
    if found is None or root is None:
        found = package.unused("xl/comments{}.xml")
        package.relate(sheet, "comments", found)
        package.content_type(found, COMMENTS_TYPE)
        root = etree.fromstring(f'<comments xmlns="{main}"/>')
    s = namespace(root)
    if root.find(f"{{{s}}}authors") is None:
        root.insert(0, etree.Element(f"{{{s}}}authors"))
    if root.find(f"{{{s}}}commentList") is None:
        root.insert(1, etree.Element(f"{{{s}}}commentList"))
    return found, root


def _vml_part(package: Repack, sheet: str, root: Element) -> str:
    """The VML drawing the sheet's <legacyDrawing> names; a new one, related and named
    in the sheet, when it has none."""
    main = namespace(root)
    r = package.ns("http://schemas.openxmlformats.org/officeDocument/2006/relationships")
    legacy = root.find(f"{{{main}}}legacyDrawing")
    if legacy is not None:
        found = package.target(sheet, legacy.get(f"{{{r}}}id") or "")
        if found and package.has(found):
            return found
        root.remove(legacy)  # it names no drawing: a new one stands in its place
    part = package.unused("xl/drawings/vmlDrawing{}.vml")
    rid = package.relate(sheet, "vmlDrawing", part)
    package.default_type("vml", VML_TYPE)
    legacy = etree.Element(f"{{{main}}}legacyDrawing", nsmap={"r": r})
    legacy.set(f"{{{r}}}id", rid)
    after = next((i for i, child in enumerate(root) if _follows(child)), len(root))
    root.insert(after, legacy)
    package.put(sheet, root)
    package.put(part, _new_vml(package))
    return part


def _follows(child: Element) -> bool:
    """Whether a worksheet's child comes after <legacyDrawing> (an alternate content wrapping one too)."""
    name = local(child.tag)
    if name == "AlternateContent":
        inner = [local(g.tag) for branch in child for g in branch]
        return any(n in _AFTER for n in inner)
    return name in _AFTER


def _new_vml(package: Repack) -> bytes:
    """An empty VML drawing, its shapes numbered in a block of 1,024 no other drawing uses."""
    used = {0}
    for name in package.names():
        if name.casefold().endswith(".vml"):
            data = package.read(name) or b""
            for found in re.findall(rb'<(?:[\w.-]+:)?idmap\b[^>]*\bdata="([\d,\s]*)"', data):
                used |= {int(n) for n in re.findall(rb"\d+", found) if len(n) < 6}
    block = max(used) + 1
    return (f'<xml {_VML_NS}><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{block}"/></o:shapelayout>'
            f"{_SHAPETYPE}</xml>").encode()


def _with_shapes(package: Repack, part: str, cells: list[str]) -> bytes:
    """The VML drawing with a note's shape for each cell, before its closing tag."""
    data = package.read(part) or b""
    text = data.decode("utf-8", "surrogateescape")
    end = text.rfind("</xml>")
    if end < 0:
        raise CannotEdit(f"its drawing {part} is not one Excel's notes can be added to")
    ids = [int(n) for n in re.findall(r"_x0000_s(\d+)", text) if len(n) < 9]
    block = re.search(rf'<{_P}idmap\b[^>]*\bdata="(\d+)', text)
    first = max(ids, default=int(block.group(1)) * 1024 if block else 1024) + 1
    shapes = "".join(_shape(first + i, cell) for i, cell in enumerate(cells))
    if "_x0000_t202" not in text:
        shapes = _SHAPETYPE + shapes
    return (text[:end] + shapes + text[end:]).encode("utf-8", "surrogateescape")


def _shape(number: int, cell: str) -> str:
    """A note's hidden box beside its cell, four columns wide, as Excel draws one."""
    m = _CELL.match(cell)
    column, row = (column_index_from_string(m.group(1)) - 1, int(m.group(2)) - 1) if m else (0, 0)
    return (f'<v:shape {_VML_NS} id="_x0000_s{number}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;'
            f'margin-top:2pt;width:240pt;height:90pt;z-index:{number % 1024};visibility:hidden" '
            'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>'
            f"<x:Anchor>{column + 1}, 15, {row}, 2, {column + 5}, 15, {row + 6}, 4</x:Anchor>"
            f"<x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{column}</x:Column>"
            "</x:ClientData></v:shape>")


def _note(s: str, cell: str, author: str, text: str) -> Element:
    """<comment ref authorId> holding the text in one run, in Excel's note font."""
    comment = etree.Element(f"{{{s}}}comment", ref=cell, authorId=author)
    run = etree.SubElement(etree.SubElement(comment, f"{{{s}}}text"), f"{{{s}}}r")
    props = etree.SubElement(run, f"{{{s}}}rPr")
    etree.SubElement(props, f"{{{s}}}sz", val="9")
    etree.SubElement(props, f"{{{s}}}rFont", val="Tahoma")
    t = etree.SubElement(run, f"{{{s}}}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return comment


def _free(cell: str, taken: set[str]) -> str:
    """The cell itself, or the first cell to its right with no note."""
    m = _CELL.match(cell) or _CELL.match("A1")
    assert m is not None
    if m.group(0) not in taken:
        return m.group(0)
    column, row = column_index_from_string(m.group(1)), m.group(2)
    while f"{get_column_letter(column)}{row}" in taken and column < 16384:
        column += 1
    return f"{get_column_letter(column)}{row}"
