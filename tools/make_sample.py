"""Make a sample quarter's submissions (.docx, .xlsx) from plain-text outlines.

    .venv/bin/python tools/make_sample.py [2020-21-Q2] [--out DIR]

Reads every ``tools/sample/<quarter>/*.txt`` and writes one submission per
outline into ``inputs/<quarter>/`` (or DIR), the way an area would send it:
Word returns with real bullets, Excel returns with one row per update. Output is
byte-stable: every date written (core properties, zip entry times) comes from
the outline, never from the clock.

Outline format (UTF-8). Lines starting with ``#`` are comments. First a header
of ``key: value`` lines, then one section per commitment:

    area: North LPA                  the plan's area (for checks; never written as such)
    file: North LPA - Q2 return.docx the file to write; .docx or .xlsx
    title: North LPA – ...           docx: first line; xlsx: optional title row + blank row
    prepared: Prepared by: ...       docx only, optional second line
    area-line: yes                   docx: write "Area: <area>" (default yes)
    headings: heading 1              docx: priority headings as "heading 1" or "bold" Normal text
    bullets: List Paragraph          docx: bullet paragraph style ("List Paragraph", "List Bullet")
    commitment: number               xlsx: Commitment column as "number" or "text"
    author: ...                      core properties creator / last modified by
    saved: 2020-10-05T16:42:00       created and last-saved time (UTC), zip entry times

    == 2.1
    - an update
      - a nested update (two spaces a level, up to three levels)
    - @Colchester:                   a bare label, its updates nested under it
      - ...
    - @Chelmsford                    the same, typed without its colon
    - @Clacton: an update            a label inline with its single update

In Word a label is a bold run ("Clacton:") at the start of the bullet. In Excel
a top-level label goes to the District column of each of its rows, and Level
counts from below the label.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assemble.plan import Plan  # noqa: E402
from assemble.plan.plans import Plans  # noqa: E402
from assemble.quarter import parse_quarter  # noqa: E402
from assemble.writers.ooxml import add_bullet_list, stable_zip  # noqa: E402

DEFAULT_QUARTER = "2020-21-Q2"


class OutlineError(ValueError):
    pass


@dataclass
class Bullet:
    text: str  # the update text, "" for a bare label
    label: str | None = None  # "Colchester", without its colon
    colon: bool = True  # whether the label is typed with its colon
    children: list[Bullet] = field(default_factory=list)

    def count(self) -> int:
        return (1 if self.text.strip() else 0) + sum(c.count() for c in self.children)


@dataclass
class Outline:
    path: Path
    header: dict[str, str]
    sections: list[tuple[str, list[Bullet]]]  # (commitment id, top-level bullets)

    @property
    def area(self) -> str:
        return self.header["area"]

    @property
    def file(self) -> str:
        return self.header["file"]

    def count(self) -> int:
        return sum(b.count() for _, bullets in self.sections for b in bullets)

    def first_update(self) -> Bullet | None:
        """The first bullet with text, depth first (what the benchmarks change)."""
        def first(bullets: list[Bullet]) -> Bullet | None:
            for bullet in bullets:
                found = bullet if bullet.text else first(bullet.children)
                if found:
                    return found
            return None

        return next((found for _, bullets in self.sections if (found := first(bullets))), None)

    def saved(self) -> datetime:
        return datetime.fromisoformat(self.header["saved"])


_BULLET = re.compile(r"^(?P<indent> *)- (?P<body>.*)$")


def parse_outline(path: Path) -> Outline:
    header: dict[str, str] = {}
    sections: list[tuple[str, list[Bullet]]] = []
    stack: list[tuple[int, Bullet]] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path.name}:{n}"
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith("== "):
            sections.append((raw[3:].strip(), []))
            stack = []
            continue
        m = _BULLET.match(raw)
        if not m:
            if sections:
                raise OutlineError(f"{where}: expected '- ' bullet, got {raw!r}")
            key, sep, value = raw.partition(":")
            if not sep:
                raise OutlineError(f"{where}: expected 'key: value', got {raw!r}")
            header[key.strip()] = value.strip()
            continue
        if not sections:
            raise OutlineError(f"{where}: bullet before any '== <commitment>' line")
        indent = len(m.group("indent"))
        if indent % 2:
            raise OutlineError(f"{where}: indent by two spaces a level")
        depth = indent // 2
        bullet = _bullet(m.group("body"), where)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if depth != (stack[-1][0] + 1 if stack else 0):
            raise OutlineError(f"{where}: bullet nested more than one level below its parent")
        if depth > 2:
            raise OutlineError(f"{where}: more than three levels")
        (stack[-1][1].children if stack else sections[-1][1]).append(bullet)
        stack.append((depth, bullet))
    for key in ("area", "file", "saved"):
        if key not in header:
            raise OutlineError(f"{path.name}: header has no '{key}:'")
    return Outline(path, header, sections)


def _bullet(body: str, where: str) -> Bullet:
    if not body.startswith("@"):
        return Bullet(body)
    label, colon, text = body[1:].partition(":")
    if not label.strip() or (text and not text.startswith(" ")):
        raise OutlineError(f"{where}: cannot read the label in {body!r}")
    return Bullet(text.strip(), label=label.strip(), colon=bool(colon))


def read_outlines(folder: Path) -> list[Outline]:
    outlines = [parse_outline(p) for p in sorted(folder.glob("*.txt"))]
    files = [o.file for o in outlines]
    if len(set(files)) != len(files):
        raise OutlineError(f"{folder}: two outlines write the same file")
    return outlines


# --- Word ---------------------------------------------------------------------


def write_docx(outline: Outline, plan: Plan) -> bytes:
    from docx import Document

    h = outline.header
    doc = Document()
    num_id = add_bullet_list(doc, nsid=0x2E5A1000)

    if h.get("title"):
        doc.add_paragraph().add_run(h["title"]).bold = True
    if h.get("prepared"):
        doc.add_paragraph(h["prepared"])
    if h.get("area-line", "yes") == "yes":
        doc.add_paragraph(f"Area: {outline.area}")
    doc.add_paragraph()

    style = h.get("bullets", "List Paragraph")
    shown: set[int] = set()
    for cid, bullets in outline.sections:
        commitment = plan.commitment(cid)
        if commitment is None:
            raise OutlineError(f"{outline.path.name}: no commitment {cid} in the plan")
        if commitment.priority not in shown:
            shown.add(commitment.priority)
            priority = plan.priority(commitment.priority)
            heading = f"Priority {priority.number} – {priority.title}"
            if h.get("headings", "heading 1") == "bold":
                doc.add_paragraph().add_run(heading).bold = True
            else:
                doc.add_paragraph(heading, style="Heading 1")
        doc.add_paragraph(commitment.text)
        for bullet in bullets:
            _add_bullets(doc, bullet, 0, style, num_id)
        doc.add_paragraph()

    saved = outline.saved()
    props = doc.core_properties
    props.author = props.last_modified_by = h.get("author", "")
    props.title = h.get("title", "")
    props.comments = ""
    props.created = props.modified = saved
    props.revision = 3
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue(), saved)


def _add_bullets(doc, bullet: Bullet, level: int, style: str, num_id: int) -> None:
    p = doc.add_paragraph(style=style)
    num_pr = p._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
    if bullet.label:
        p.add_run(bullet.label + (":" if bullet.colon else "")).bold = True
        if bullet.text:
            p.add_run(" " + bullet.text)
    else:
        p.add_run(bullet.text)
    for child in bullet.children:
        _add_bullets(doc, child, level + 1, style, num_id)


# --- Excel --------------------------------------------------------------------

HEADER = ("Priority", "Commitment", "District", "Level", "Update")


def excel_rows(outline: Outline, plan: Plan) -> list[tuple]:
    """One row per update: (priority, commitment, district, level, update)."""
    rows: list[tuple] = []
    as_text = outline.header.get("commitment", "number") == "text"
    for cid, bullets in outline.sections:
        commitment = plan.commitment(cid)
        if commitment is None:
            raise OutlineError(f"{outline.path.name}: no commitment {cid} in the plan")
        column = commitment.text if as_text else commitment.number

        def walk(bullet: Bullet, level: int, district: str | None, commitment=commitment, column=column) -> None:
            if bullet.text:
                rows.append((commitment.priority, column, district, level, bullet.text))
            for child in bullet.children:
                nested(child)
                walk(child, level + 1, district)

        def nested(bullet: Bullet) -> None:
            if bullet.label:
                raise OutlineError(f"{outline.path.name}: in Excel only a top-level bullet takes a label")

        for bullet in bullets:
            if bullet.label and not bullet.text:  # bare label: its updates carry it
                for child in bullet.children:
                    nested(child)
                    walk(child, 1, bullet.label)
            else:
                walk(bullet, 1, bullet.label)
    return rows


def write_xlsx(outline: Outline, plan: Plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    h = outline.header
    wb = Workbook()
    ws = wb.active
    ws.title = "Updates"
    if h.get("title"):
        ws.append([h["title"]])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
        ws.append([])
    ws.append(list(HEADER))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in excel_rows(outline, plan):
        ws.append(list(row))
        ws.cell(ws.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(row[1], str):
            ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for col, width in zip("ABCDE", (9, 40 if h.get("commitment") == "text" else 12, 24, 7, 110), strict=True):
        ws.column_dimensions[col].width = width

    saved = outline.saved()
    props = wb.properties
    props.creator = props.lastModifiedBy = h.get("author", "")
    props.created = props.modified = saved
    buf = io.BytesIO()
    # ExcelWriter directly: save_workbook would stamp the clock into "modified".
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    return stable_zip(buf.getvalue(), saved)


# --- output -------------------------------------------------------------------


def render(outline: Outline, plan: Plan) -> bytes:
    suffix = Path(outline.file).suffix.lower()
    if suffix == ".docx":
        return write_docx(outline, plan)
    if suffix == ".xlsx":
        return write_xlsx(outline, plan)
    raise OutlineError(f"{outline.path.name}: cannot write a {suffix or 'suffix-less'} file")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("quarter", nargs="?", default=DEFAULT_QUARTER)
    parser.add_argument("--out", type=Path, help="folder to write (default inputs/<quarter>)")
    args = parser.parse_args(argv)
    source = ROOT / "tools" / "sample" / args.quarter
    out = args.out or ROOT / "inputs" / args.quarter
    try:
        outlines = read_outlines(source)
        if not outlines:
            raise OutlineError(f"{source}: no outlines (*.txt)")
        plan = Plans().for_quarter(parse_quarter("2020-21-Q2"))
        out.mkdir(parents=True, exist_ok=True)
        for outline in outlines:
            (out / outline.file).write_bytes(render(outline, plan))
            print(f"{outline.file}: {outline.area}, {outline.count()} updates")
    except (OSError, OutlineError) as exc:
        print(f"make_sample: {exc}", file=sys.stderr)
        return 1
    written = {o.file for o in outlines}
    for stray in sorted(p.name for p in out.iterdir() if p.is_file() and p.name not in written):
        print(f"note: {out / stray} is not made from an outline", file=sys.stderr)
    print(f"{len(outlines)} files, {sum(o.count() for o in outlines)} updates -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
