"""Tables, read against the plan: a table filled in like a form (a header naming Priority
or Commitment, and Update: every Excel return, and such a table in Word), row by row, a
blank Priority or Commitment cell meaning "as above", a commitment given by its full number
("2.1", or "2.1 Target repeat…" as the Excel return's list offers it) by that number; and
any other Word table row by row, a row of single lines one update (its cells in order,
"Colchester: …" when the first is a place; a cell holding only a number part of the update,
never a commitment), a row holding headings, commitments or lists line by line. Every
cell's fate goes in the walk's ledger."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import Problem, error, warning
from ..model import Span, spans_text
from ..plan import Plan, matching
from ..records import Paragraph, Row, Table
from ..text import area_named, first_words, plural
from .ledger import Fate
from .nesting import Line, typed_lines
from .walk import NUMBER

if TYPE_CHECKING:
    from .walk import Walk

_CELL_JOIN = " – "  # between the cells of a table row read as one update
_LINE_BREAK = re.compile(r"\s*[\r\n]+\s*")


# --- tables not filled like a form ---------------------------------------------------


def grid_row(walk: Walk, paras: list[Paragraph], bullets_follow: bool) -> None:
    """One row of a table that is not a form: one update when it is a row of single
    plain lines (a number in a cell stays in it); else its lines one by one."""
    cells: dict[int, list[Paragraph]] = {}
    for p in paras:
        cells.setdefault(p.cell[2] if p.cell else 0, []).append(p)
    columns = list(cells.values())
    if walk.priority is None and walk.hold is None:
        if walk.area_line is None and all(len(c) == 1 for c in columns):
            walk.area_line = area_named([c[0].text for c in columns])  # "Area | North LPA"
        for p in paras:
            walk.paragraph(p, bullets_follow)
        return
    single = all(len(c) == 1 and c[0].level is None for c in columns)
    if single and len(columns) >= 2 and not any(_structural(walk, c[0]) for c in columns):
        walk.paragraph(_joined(walk.plan, [c[0] for c in columns]), bullets_follow, sources=paras)
        return
    lines = _numbers_joined(columns)
    for k, (line, sources) in enumerate(lines):
        follows = lines[k + 1][0].level is not None if k + 1 < len(lines) else bullets_follow
        walk.paragraph(line, follows, sources=sources)


def _structural(walk: Walk, para: Paragraph) -> bool:
    """A priority heading or a commitment line, in a table's cell."""
    text = para.text
    if matching.heading(walk.plan, text, para.number, para.marker, heading=para.heading is not None,
                        listed=para.level is not None) is not None:
        return True
    return (walk.priority is not None and not NUMBER.match(text)
            and matching.commitment(walk.plan, walk.priority, text) is not None)


def _joined(plan: Plan, paras: list[Paragraph]) -> Paragraph:
    """A row's cells as one line: "Colchester: …" when the first cell is a place, else cell – cell."""
    first = paras[0]
    spans: list[Span] = list(first.spans)
    notes = [n for p in paras for n in p.notes]
    lead = _CELL_JOIN
    if matching.is_place_label(plan, first.text.rstrip(":")):
        spans = [Span(first.text.rstrip(":").strip() + ":", *(_emphasis(first.spans)))]
        lead = " "
    for k, p in enumerate(paras[1:]):
        spans.append(Span(lead if k == 0 else _CELL_JOIN))
        spans += list(p.spans)
    return replace(first, spans=tuple(spans), notes=tuple(notes), level=None, marker="", number="")


def _emphasis(spans: tuple[Span, ...]) -> tuple[bool, bool]:
    shown = [s for s in spans if s.text.strip()]
    return all(s.bold for s in shown) and bool(shown), all(s.italic for s in shown) and bool(shown)


def _numbers_joined(columns: list[list[Paragraph]]) -> list[tuple[Paragraph, tuple[Paragraph, ...]]]:
    """A row's lines in order, each cell that holds only a number joined to the line
    before it in the row (or, first in the row, to the line after)."""
    lines: list[tuple[Paragraph, tuple[Paragraph, ...]]] = []
    waiting: list[Paragraph] = []  # numbers before any line of the row
    for cell in columns:
        if len(cell) == 1 and NUMBER.match(cell[0].text) and (lines or len(columns) > 1):
            if lines:
                last, sources = lines[-1]
                lines[-1] = (replace(last, spans=(*last.spans, Span(_CELL_JOIN + cell[0].text))), (*sources, cell[0]))
            else:
                waiting.append(cell[0])
            continue
        for p in cell:
            if waiting:
                lead = _CELL_JOIN.join(w.text for w in waiting) + _CELL_JOIN
                lines.append((replace(p, spans=(Span(lead), *p.spans)), (*waiting, p)))
                waiting = []
            else:
                lines.append((p, (p,)))
    lines += [(w, (w,)) for w in waiting]  # a row of nothing but numbers: each a line
    return lines


# --- tables filled in like a form ----------------------------------------------------------


@dataclass
class _AsAbove:
    """The priority and commitment a blank cell means: those of the row above."""

    priority: int | None
    commitment: str | None = None


def form(walk: Walk, table: Table) -> None:
    """Rows: a blank Priority or Commitment cell means the same as the row above; a
    table without a Priority column is under the priority heading above it."""
    known = set(table.columns.values())
    for row in table.head:  # title rows and the header: structure, whatever the column
        for value in row.cells:
            if value.strip():
                walk.entry(row.place, value, Fate.STRUCTURE)
    _unnamed_columns(walk, table, known)
    above = _AsAbove(walk.priority if "priority" not in table.columns else None)
    for row in table.rows:
        if any(c.strip() for c in row.cells):
            _row(walk, table, known, row, above)


def _unnamed_columns(walk: Walk, table: Table, known: set[int]) -> None:
    """A column the return's header does not name: not read, said once."""
    unknown: dict[int, list[tuple[Row, str]]] = {}
    for row in table.rows:
        for i, value in enumerate(row.cells):
            if i not in known and value.strip():
                unknown.setdefault(i, []).append((row, value))
    names = table.head[-1].cells if table.head else ()
    for i, cells in unknown.items():
        heading = names[i].strip() if i < len(names) else ""
        first, text = cells[0]
        column = warning(
            f"{table.column(i)}{f' ({heading!r})' if heading else ''} is not read: "
            f"{plural(len(cells), 'cell')}, the first in row {_row_number(first)} ('{first_words(text, 6)}')",
            first.place, "put the text in the Update column, or delete the column")
        walk.problems.append(column)
        for r, c in cells:
            walk.entry(r.place, c, Fate.NOT_READ, column)


def _row(walk: Walk, table: Table, known: set[int], row: Row, above: _AsAbove) -> None:
    """One row of a form: its updates added to the walk, or why it is not read."""
    def cell(key: str) -> str:  # on one line (but the update): a line break as a space
        value = row.cell(table.columns, key)
        return value if key == "update" else _LINE_BREAK.sub(" ", value)

    def fail(message: str, hint: str) -> None:
        failed = error(message, row.place, hint)
        walk.problems.append(failed)
        _cells(walk, row, known, table, Fate.NOT_READ, failed)

    if not _priority_and_commitment(walk.plan, cell("priority"), cell("commitment"), above, fail):
        return
    text = " ".join(cell("update").split())
    if not text:
        _cells(walk, row, known, table, Fate.STRUCTURE)
        return
    if above.priority is None or above.commitment is None:
        fail(f"update '{first_words(text)}' has no priority and commitment",
             "fill in the Priority and Commitment columns")
        return
    level = _level_cell(cell("level"))
    if level is None:
        fail(f"Level '{cell('level')}' is not 1, 2 or 3", "use 1 for a main bullet, 2 and 3 for sub-bullets")
        return
    district = cell("district").rstrip(":").strip() or None
    for piece in typed_lines((Span(cell("update")),)):  # bullets typed in the cell, each an update
        words = " ".join(spans_text(piece.spans).split())
        if words:
            walk.add(Line(above.commitment, min(level + piece.depth, 2), (Span(words),), row.place, district),
                     cell("area") or None)
    _cells(walk, row, known, table, Fate.STRUCTURE, update=Fate.UPDATE)


def _priority_and_commitment(plan: Plan, priority: str, commitment: str, above: _AsAbove,
                             fail: Callable[[str, str], None]) -> bool:
    """The row's priority and commitment into `above` (a blank cell: as above); False, having
    said why, when a cell names none the plan has."""
    if priority:
        n = _priority_cell(priority)
        if n is None or plan.priority(n) is None:
            fail(f"'{priority}' is not a priority of the plan",
                 f"give the priority's number, 1 to {len(plan.priorities)}")
            above.priority = above.commitment = None
            return False
        if n != above.priority:
            above.commitment = None
        above.priority = n
    numbered = matching.numbered_commitment(plan, commitment) if commitment else None
    if numbered is not None and priority and numbered.priority != above.priority:
        fail(f"Commitment '{first_words(commitment)}' is {numbered.id}, a commitment of Priority {numbered.priority}, "
             f"but the row's Priority is {above.priority}",
             f"choose a commitment of Priority {above.priority}, or make the Priority {numbered.priority}")
        above.commitment = None
        return False
    if numbered is not None:  # its full number decides, the priority too when the row leaves it blank
        above.priority, above.commitment = numbered.priority, numbered.id
    elif commitment and above.priority is not None:
        found = matching.commitment(plan, above.priority, commitment)
        if not found:
            fail(*_no_commitment_text(plan, above.priority, commitment))
            above.commitment = None
            return False
        above.commitment = found.id
    return True


def _cells(walk: Walk, row: Row, known: set[int], table: Table, fate: Fate, problem: Problem | None = None,
           update: Fate | None = None) -> None:
    """A row's cells in the known columns in the ledger: the update cell as `update`, the rest as `fate`."""
    at = table.columns.get("update")
    for i, cell in enumerate(row.cells):
        if i in known and cell.strip():
            index = walk.entry(row.place, cell, update if update is not None and i == at else fate, problem)
            if i == at:
                walk.of_line.setdefault(row.place, []).append(index)


def _row_number(row: Row) -> str:
    m = re.search(r"row (\d+)", row.place.where)
    return m.group(1) if m else "?"


def _no_commitment_text(plan: Plan, priority: int, typed: str) -> tuple[str, str]:
    """What to say of a commitment cell the plan does not have: by number, or by text."""
    n = matching.commitment_number(typed)
    p = plan.priority(priority)
    if n is not None and p is not None:
        return (f"Priority {priority} has no commitment {n} in this quarter's plan ({plan.file or 'the plan'})",
                f"it has {'1' if len(p.commitments) == 1 else f'1 to {len(p.commitments)}'}: "
                "check the number against the plan, or give the commitment's text")
    near = matching.closest_commitment(plan, priority, typed)
    return (f"cannot match commitment '{first_words(typed)}' to Priority {priority}",
            f"closest in the plan is {near.id} '{first_words(near.text)}'" if near else "")


def _priority_cell(text: str) -> int | None:
    return matching.priority_number(text if not text[:1].isdigit() else f"Priority {text}")


def _level_cell(text: str) -> int | None:
    if not text:
        return 0
    try:
        n = int(float(text))
    except (ValueError, OverflowError):
        return None
    return n - 1 if 1 <= n <= 3 else None
