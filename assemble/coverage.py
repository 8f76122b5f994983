"""Coverage: who reported against what this quarter.

A table of areas (plan order) by priorities, each cell the number of updates
(``Update.count()``: bare labels are structure, not updates), with the areas
that sent nothing and the commitments nobody reported against. Renderers for
the console (``assemble check``), Markdown and Excel.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import Submission
from .ooxml import stable_zip
from .plan import Plan

UNKNOWN_AREA = "(area not known)"


@dataclass(frozen=True)
class Coverage:
    priorities: tuple[tuple[int, str], ...]  # (number, title), plan order: the columns
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (area, count per priority), plan order
    silent: tuple[str, ...]  # plan areas with no update at all
    uncovered: tuple[tuple[str, str], ...]  # (commitment id, text) with no update
    outside_plan: int = 0  # updates against commitments the plan does not have

    @property
    def areas(self) -> tuple[str, ...]:
        return tuple(area for area, _ in self.rows)

    def count(self, area: str, priority: int) -> int:
        numbers = [n for n, _ in self.priorities]
        counts = dict(self.rows)[area]
        return counts[numbers.index(priority)]

    def area_total(self, area: str) -> int:
        return sum(dict(self.rows)[area])

    def priority_totals(self) -> tuple[int, ...]:
        return tuple(sum(counts[i] for _, counts in self.rows) for i in range(len(self.priorities)))

    @property
    def total(self) -> int:
        return sum(sum(counts) for _, counts in self.rows)


def coverage(submissions: Sequence[Submission], plan: Plan) -> Coverage:
    """Count every submission's updates by area and priority."""
    numbers = [p.number for p in plan.priorities]
    commitments = plan.commitments_by_id()
    names = [a.name for a in plan.areas]
    table: dict[str, list[int]] = {name: [0] * len(numbers) for name in names}
    by_commitment = dict.fromkeys(commitments, 0)
    outside = 0
    for s in submissions:
        area = s.area if s.area in table else UNKNOWN_AREA
        for c in s.contributions:
            n = c.count()
            commitment = commitments.get(c.commitment)
            if commitment is None:
                outside += n
                continue
            by_commitment[c.commitment] += n
            row = table.setdefault(area, [0] * len(numbers))
            row[numbers.index(commitment.priority)] += n
    rows = [(name, tuple(table[name])) for name in names]
    if any(table.get(UNKNOWN_AREA, ())):
        rows.append((UNKNOWN_AREA, tuple(table[UNKNOWN_AREA])))
    return Coverage(
        priorities=tuple((p.number, p.title) for p in plan.priorities),
        rows=tuple(rows),
        silent=tuple(name for name in names if not any(table[name])),
        uncovered=tuple((cid, commitments[cid].text) for cid, n in by_commitment.items() if not n),
        outside_plan=outside,
    )


# --- renderers ----------------------------------------------------------------


def _cell(n: int) -> str:
    return str(n) if n else "-"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _notes(cov: Coverage, width: int | None = 60) -> list[tuple[str, list[str]]]:
    notes = [
        ("Areas that sent nothing", list(cov.silent)),
        ("Commitments with no update", [f"{cid} {_short(text, width) if width else text}" for cid, text in cov.uncovered]),
    ]
    if cov.outside_plan:
        notes.append(("Not in the plan", [f"{cov.outside_plan} update(s) against commitments the plan does not have"]))
    return notes


def to_text(cov: Coverage) -> str:
    """An aligned console table with its notes, as `assemble check` prints it."""
    header = ["Area", *(f"P{n}" for n, _ in cov.priorities), "Total"]
    body = [[area, *(_cell(n) for n in counts), str(sum(counts))] for area, counts in cov.rows]
    footer = ["Total", *(_cell(n) for n in cov.priority_totals()), str(cov.total)]
    rows = [header, *body, footer]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

    def line(r: list[str]) -> str:
        return "  ".join([r[0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(r[1:], widths[1:]))]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = ["Updates by area and priority", line(header), rule, *(line(r) for r in body), rule, line(footer), ""]
    for title, items in _notes(cov):
        if len(items) <= 1:
            out.append(f"{title}: {items[0] if items else 'none'}")
        else:
            out.append(f"{title}:")
            out.extend(f"  {item}" for item in items)
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def to_markdown(cov: Coverage) -> str:
    """A GitHub-flavoured Markdown table with its notes."""
    header = ["Area", *(f"P{n}" for n, _ in cov.priorities), "Total"]
    out = [
        "| " + " | ".join(header) + " |",
        "| --- | " + " | ".join("---:" for _ in header[1:]) + " |",
    ]
    for area, counts in cov.rows:
        out.append("| " + " | ".join([_md(area), *(str(n) for n in counts), str(sum(counts))]) + " |")
    totals = [str(n) for n in cov.priority_totals()]
    out.append("| " + " | ".join(["**Total**", *(f"**{n}**" for n in totals), f"**{cov.total}**"]) + " |")
    out.append("")
    out.extend(f"- P{n}: {_md(title)}" for n, title in cov.priorities)
    out.append("")
    for title, items in _notes(cov, width=None):
        if not items:
            out.append(f"**{title}:** none")
        else:
            out.append(f"**{title}:**")
            out.append("")
            out.extend(f"- {_md(item)}" for item in items)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def write_xlsx(cov: Coverage, path: Path, timestamp: dt.datetime | None = None) -> Path:
    """Write the table (sheet "Coverage") and the gaps (sheet "Gaps") to an Excel file.

    Every date written (core properties, zip entry times) is `timestamp`, else
    SOURCE_DATE_EPOCH when set, else now: given one, the file is byte-stable.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Coverage"
    ws.append(["Area", *(f"Priority {n}" for n, _ in cov.priorities), "Total"])
    for area, counts in cov.rows:
        ws.append([area, *counts, sum(counts)])
    ws.append(["Total", *cov.priority_totals(), cov.total])
    for cell in (*ws[1], *ws[ws.max_row]):
        cell.font = bold
    for cell in ws[1][1:]:
        cell.alignment = Alignment(horizontal="center")
    for row in ws.iter_rows(min_row=2):
        row[-1].font = bold
    ws.freeze_panes = "B2"
    ws.column_dimensions["A"].width = max(len(a) for a in ("Area", *cov.areas)) + 2
    for col in range(2, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11

    gaps = wb.create_sheet("Gaps")
    gaps.append(["Gap", "Area or commitment", "Text"])
    for cell in gaps[1]:
        cell.font = bold
    for area in cov.silent:
        gaps.append(["Area sent nothing", area, ""])
    for cid, text in cov.uncovered:
        gaps.append(["Commitment with no update", cid, text])
        gaps.cell(gaps.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    if cov.outside_plan:
        gaps.append(["Not in the plan", "", f"{cov.outside_plan} update(s) against commitments the plan does not have"])
    gaps.freeze_panes = "A2"
    for col, width in zip("ABC", (28, max([20, *(len(a) + 2 for a in cov.silent)]), 90)):
        gaps.column_dimensions[col].width = width

    legend = wb.create_sheet("Priorities")
    legend.append(["Priority", "Title"])
    for cell in legend[1]:
        cell.font = bold
    for number, title in cov.priorities:
        legend.append([number, title])
    legend.freeze_panes = "A2"
    legend.column_dimensions["A"].width = 10
    legend.column_dimensions["B"].width = max([20, *(len(t) + 2 for _, t in cov.priorities)])

    stamp = _timestamp(timestamp)
    naive = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = naive
    wb.properties.creator = wb.properties.lastModifiedBy = "assemble"
    buf = io.BytesIO()
    # ExcelWriter directly: save_workbook would stamp the clock into "modified".
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    path = Path(path)
    path.write_bytes(stable_zip(buf.getvalue(), naive))
    return path


def _timestamp(given: dt.datetime | None) -> dt.datetime:
    if given is not None:
        return given if given.tzinfo else given.replace(tzinfo=dt.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    return dt.datetime.now(tz=dt.timezone.utc).replace(microsecond=0)
