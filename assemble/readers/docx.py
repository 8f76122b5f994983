"""Read a Word submission (.docx, .docm) into a Submission.

Two steps, as Pandoc's readers do: walk the body into plain paragraphs
(text, emphasis, list level), then read those as preamble, priorities,
commitments and levelled updates. Macros are never run: only document.xml
and its styles are read.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from .. import matching, safety
from ..model import InputError, Place, Problem, Span, Submission
from ..plan import Plan
from . import nesting
from . import rows as rows_mod
from .nesting import Line

_MARKER = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<mark>[•\-–—o▪■◦●*·]|\d+[.)]|[a-z][.)])[ \t\u00a0]+(?=\S)")
_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue)(?: (\d))?$", re.IGNORECASE)
_AREA_LINE = re.compile(r"^\s*area\s*:\s*(.+?)\s*$", re.IGNORECASE)
_W_TRUE = {None, "1", "true", "on"}


@dataclass
class Para:
    """A body paragraph as the reader needs it."""

    number: int  # 1-based, counting non-empty paragraphs as Word shows them
    spans: tuple[Span, ...]
    level: int | None  # list level 0-2, None when not a list item
    removed: bool = False  # safety.clean_text dropped control characters from it

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans).strip()

    def place(self, file: str) -> Place:
        words = " ".join(self.text.split()[:6])
        more = "…" if len(self.text.split()) > 6 else ""
        return Place(file, f"paragraph {self.number} ('{words}{more}')")


@safety.guarded  # checks the package first; library errors become InputErrors naming the file
def read(path: Path, plan: Plan) -> tuple[list[Submission], list[Problem]]:
    name = path.name
    try:
        document = docx.Document(safety.word_source(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError([Problem("error", f"not a readable Word document ({exc})", Place(name),
                                  "open it in Word and save it again as .docx")]) from exc
    paras, tracked = _paragraphs(document)
    if len(paras) > safety.MAX_PARAGRAPHS:
        raise InputError([Problem(
            "error", f"has {len(paras):,} paragraphs, more than the {safety.MAX_PARAGRAPHS:,} a return may have",
            Place(name), "split it into several files, one per priority")])
    problems: list[Problem] = []
    if tracked:
        problems.append(Problem("warning", "the document still has tracked changes; "
                                "insertions were taken and deletions dropped", Place(name),
                                "accept or reject all changes in Word and send it again"))
    area_text = None
    lines: list[Line] = []
    priority: int | None = None
    commitment: str | None = None
    offset = 0  # list items under a plain "Label:" paragraph nest one deeper
    for para in paras:
        if isinstance(para, UpdateTable):
            table = [(Place(name, f"table {para.number}, row {r}"), cells) for r, cells in para.rows]
            got = rows_mod.read(table, para.columns, plan)
            problems += got.problems
            lines += [line for found in got.by_area.values() for line in found]
            continue
        text = para.text
        if not text:
            continue
        if para.removed:
            problems.append(safety.removed_characters(para.place(name)))
        if para.level is None and (n := matching.priority_number(text)) is not None:
            if plan.priority(n) is None:
                problems.append(Problem("error", f"there is no Priority {n} in the plan",
                                        para.place(name), "check the priority number"))
                priority, commitment = None, None
                continue
            priority, commitment, offset = n, None, 0
            continue
        if priority is None:
            if area_text is None and (m := _AREA_LINE.match(text)):
                area_text = m.group(1)
            continue  # preamble
        if para.level is not None and len(text.split()) >= 6 and (
            found := matching.commitment(plan, priority, text, run_on=False)
        ):
            commitment, offset = found.id, 0  # a commitment typed as a bullet
            continue
        if para.level is None:
            found = matching.commitment(plan, priority, text)
            if found:
                commitment, offset = found.id, 0
                continue
            near = matching.closest_commitment(plan, priority, text)
            if commitment is None or _looks_like(text, near.text if near else ""):
                hint = f"closest in the plan is {near.id} '{_first_words(near.text)}'" if near else ""
                problems.append(Problem("error", f"cannot match '{_first_words(text)}' to a "
                                        f"commitment of Priority {priority}", para.place(name), hint))
                continue
            is_label = text.endswith(":") and len(text) <= 80
            lines.append(Line(commitment, 0, para.spans, para.place(name), subheading=is_label))
            offset = 1 if is_label else 0
            continue
        if commitment is None:
            problems.append(Problem("error", "update comes before any commitment it belongs to",
                                    para.place(name), "put the commitment's text above it"))
            continue
        lines.append(Line(commitment, para.level + offset, para.spans, para.place(name)))
    area, area_problems = matching.area_of_file(plan, name, path.stem, area_text)
    problems += area_problems
    modified = document.core_properties.modified
    sub = Submission(
        file=name,
        format="docx",
        area=area.name if area else None,
        contributions=tuple(nesting.contributions(lines, area, plan)),
        modified=modified.isoformat() if modified else None,
    )
    return [sub], problems


def _looks_like(text: str, commitment_text: str) -> bool:
    """A plain paragraph close to a commitment is a mistyped commitment, not an update."""
    a, b = matching.normalise(text), matching.normalise(commitment_text)
    return bool(b) and difflib.SequenceMatcher(None, a, b[: len(a) + 10]).ratio() >= 0.75


def _first_words(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


# --- step one: the body as paragraphs -------------------------------------------


def _paragraphs(document) -> tuple[list[Para | UpdateTable], bool]:
    """Body paragraphs in reading order; a table with a Priority/Update header row
    is kept whole as rows, any other table is read as its paragraphs."""
    body = getattr(document.element, "body", None)  # None when the main part is not a document
    if body is None:
        return [], False  # no body at all: nothing to read, and "no updates" says so
    tracked = body.find(".//" + qn("w:ins")) is not None or body.find(".//" + qn("w:del")) is not None
    styles = {s.style_id: s for s in document.styles}
    out: list[Para | UpdateTable] = []
    counter = [0]

    def walk(parent) -> None:
        for child in parent:
            if child.tag == qn("w:p"):
                _add_para(child, styles, counter, out)
            elif child.tag == qn("w:tbl"):
                table = _update_table(child)
                if table:
                    out.append(table)
                else:
                    for p in child.iter(qn("w:p")):
                        _add_para(p, styles, counter, out)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:ins")):
                walk(child)  # content controls and the like wrap ordinary paragraphs

    walk(body)
    return out, tracked


def _add_para(p, styles, counter: list[int], out: list) -> None:
    spans = _spans(p)
    if not "".join(s.text for s in spans).strip():
        return
    counter[0] += 1
    level, spans = _level(p, spans, styles)
    removed = any(safety.clean_text(t.text or "")[1] for t in p.iter(qn("w:t")))
    out.append(Para(counter[0], spans, level, removed))


@dataclass
class UpdateTable:
    """A table filled in like a form: a header row, then one update per row."""

    number: int  # 1-based, among the document's tables
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]]  # (row number, cell texts)


def _update_table(tbl) -> UpdateTable | None:
    rows = [
        [" ".join("".join(s.text for s in _spans(p)) for p in tc.iter(qn("w:p"))).strip()
         for tc in tr.iter(qn("w:tc"))]
        for tr in tbl.iter(qn("w:tr"))
    ]
    for i, cells in enumerate(rows[:3]):
        cols = rows_mod.columns(cells)
        if cols:
            number = sum(1 for _ in tbl.itersiblings(qn("w:tbl"), preceding=True)) + 1
            return UpdateTable(number, cols, [(r + 1, c) for r, c in enumerate(rows) if r > i])
    return None


def _spans(p) -> tuple[Span, ...]:
    out: list[Span] = []
    for r in p.iter(qn("w:r")):
        if _deleted(r, p):
            continue
        rpr = r.find(qn("w:rPr"))
        bold, italic = _flag(rpr, "w:b"), _flag(rpr, "w:i")
        text = []
        for child in r:
            tag = child.tag
            if tag == qn("w:t"):
                text.append(child.text or "")
            elif tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
                text.append(" " if tag != qn("w:tab") else "\t")
            elif tag == qn("w:noBreakHyphen"):
                text.append("-")
        if text:
            out.append(Span(safety.clean_text("".join(text))[0], bold, italic))
    return tuple(out)


def _deleted(r, p) -> bool:
    node = r.getparent()
    while node is not None and node is not p:
        if node.tag in (qn("w:del"), qn("w:moveFrom")):
            return True
        node = node.getparent()
    return False


def _flag(rpr, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(qn(tag))
    return el is not None and el.get(qn("w:val")) in _W_TRUE


def _level(p, spans: tuple[Span, ...], styles) -> tuple[int | None, tuple[Span, ...]]:
    """List level from numbering, a list style, or a typed marker."""
    ppr = p.find(qn("w:pPr"))
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is not None:
        num_id = numpr.find(qn("w:numId"))
        if num_id is None or num_id.get(qn("w:val")) != "0":
            ilvl = numpr.find(qn("w:ilvl"))
            value = ilvl.get(qn("w:val"), "0") if ilvl is not None else "0"
            return min(int(value), 2) if value.isdigit() else 0, spans
    style = _style_name(ppr, styles)
    if style and (m := _STYLE_LEVEL.match(style)):
        return min(int(m.group(1) or 1) - 1, 2), spans
    text = "".join(s.text for s in spans)
    if m := _MARKER.match(text):
        indent = m.group("indent").replace("\u00a0", " ")
        level = indent.count("\t") + len(indent.replace("\t", "")) // 2 or _indent_level(ppr)
        return min(level, 2), nesting.drop_prefix(spans, m.end())
    if style and style.lower() == "list paragraph":
        return _indent_level(ppr), spans
    return None, spans


def _style_name(ppr, styles) -> str | None:
    if ppr is None:
        return None
    ps = ppr.find(qn("w:pStyle"))
    if ps is None:
        return None
    style = styles.get(ps.get(qn("w:val")))
    return style.name if style is not None else None


def _indent_level(ppr) -> int:
    """List Paragraph without numbering: about every 0.63 cm of indent is a level."""
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    if ind is None:
        return 0
    left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
    try:
        return max(0, min(2, round(int(left) / 360) - 1))
    except ValueError:
        return 0
