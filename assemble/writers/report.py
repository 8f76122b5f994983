"""The report of a run, written beside the outputs for the unit to send back to
contributors: what was read, every problem by file (a problem that stands for others,
its ``details``, with each of them listed under it), what was left out and why,
and the coverage of areas by priorities (report.md, and coverage.xlsx).

Renders an Assembly; knows nothing of submission formats.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path
from typing import Any

from .. import clock
from ..assembly import Assembly
from ..coverage import UNKNOWN_AREA, Coverage, notes
from ..errors import Problem, os_problem
from ..verdicts import entry
from .ooxml import new_workbook, stable_zip


def to_markdown(asm: Assembly, cov: Coverage) -> str:
    q = asm.quarter
    lines = [f"# {asm.plan.full_title} – {asm.plan.document} {q.short}: submissions report", ""]
    lines += [asm.counts_line() + ".", ""]
    emails = any(f.message for f in asm.files)  # who sent each return and when, once returns come by email
    lines += ["## Files", "", "| file | area | format | updates | lines not read |" + (" sent | from |" * emails),
              "| --- | --- | --- | ---: | ---: |" + (" --- | --- |" * emails)]
    lines += [f"| {_cell_md(f.file)} | {_cell_md(f.area or UNKNOWN_AREA)} | {f.format} "
              f"| {_cell_md(f.shown)} | {f.not_read if f.read else ''} |"
              + (f" {clock.shown(f.sent)} | {_cell_md(f.sender)} |" if emails else "") for f in asm.files]
    lines += ["", "## Problems", ""]
    grouped = problems_by_area(asm)
    if not grouped:
        lines.append("None.")
    for area, files in grouped.items():
        lines += [f"### {_cell_md(area)}", ""]
        for file, problems in files.items():
            if file:
                lines += [f"#### {_cell_md(file)}", ""]
            for p in problems:
                lines += _problem_md(p)
            lines.append("")
    lines += ["## Left out", ""]
    left = asm.merged.left_out
    lines += [f"- {_cell_md(lo.file)}: {lo.updates} update(s), {_cell_md(lo.reason)}" for lo in left] \
        or ["Nothing."]
    lines += ["", "## Coverage", "", coverage_markdown(cov)]
    return "\n".join(lines).rstrip() + "\n"


THE_QUARTER = "The quarter"  # problems that are about no one file


def problems_by_area(asm: Assembly) -> dict[str, dict[str, list[Problem]]]:
    """Area (in the plan's order) -> file -> its problems, in the order found; problems of
    no file last, under THE_QUARTER (file "")."""
    area_of: dict[str, str | None] = {}
    for f in asm.files:  # a file split by area is under its first; what an email holds, under its return's
        area_of.setdefault(f.file, f.area)
        if f.message:
            area_of.setdefault(f.message, f.area)
    grouped: dict[str | None, dict[str, list[Problem]]] = {}
    for p in asm.problems:
        file = p.place.file if p.place else ""
        area = area_of.get(file, area_of.get(entry(file))) if file else None
        key = area if area is not None else ("" if file else None)
        grouped.setdefault(key, {}).setdefault(file, []).append(p)
    order = [a.name for a in asm.plan.areas]
    out: dict[str, dict[str, list[Problem]]] = {}
    for area in [*order, *(a for a in grouped if isinstance(a, str) and a not in order and a)]:
        if area in grouped:
            out[area] = grouped[area]
    if "" in grouped:
        out[UNKNOWN_AREA] = grouped[""]
    if None in grouped:
        out[THE_QUARTER] = grouped[None]
    return out


def _problem_md(p: Problem) -> list[str]:
    """A problem's line, and under it each finding it stands for (its details)."""
    return [f"- **{p.severity}** {_problem_line(p)}", *(f"  - {_problem_line(d)}" for d in p.details)]


def write(asm: Assembly, cov: Coverage, out_dir: Path, when: dt.datetime) -> list[Path]:
    """report.md and coverage.xlsx, each replaced whole (never half-written) and
    only when its content changed, so a run with nothing new writes nothing."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        report = out_dir / "report.md"
        _replace(report, to_markdown(asm, cov).encode("utf-8"))
        sheet = out_dir / "coverage.xlsx"
        _replace(sheet, coverage_xlsx(cov, when))
    except OSError as exc:
        raise os_problem(exc, getattr(exc, "filename", None) or out_dir) from None
    return [report, sheet]


def _replace(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _problem_line(p: Problem) -> str:
    """A problem's place in its file, message and hint, on one line."""
    where = f"{p.place.shown}: " if p.place and p.place.shown else ""
    hint = f" — {p.hint}" if p.hint else ""
    return _cell_md(where + p.message + hint)


def _cell_md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- coverage ---------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def coverage_markdown(cov: Coverage) -> str:
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
    for title, items in notes(cov, width=None):
        if not items:
            out.append(f"**{title}:** none")
        else:
            out.append(f"**{title}:**")
            out.append("")
            out.extend(f"- {_md(item)}" for item in items)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _senders(sheet: Any, cov: Coverage, bold: Any) -> None:
    """Who sent each return that came by email, and when."""
    sheet.append(["Area", "Return", "From", "Sent"])
    for cell in sheet[1]:
        cell.font = bold
    for f in cov.emailed:
        sheet.append([f.area or UNKNOWN_AREA, f.file, f.sender, clock.shown(f.sent)])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (20, 60, 50, 18), strict=True):
        sheet.column_dimensions[letter].width = width


def coverage_xlsx(cov: Coverage, when: dt.datetime) -> bytes:
    """The table (sheet "Coverage") and the gaps (sheet "Gaps") as an Excel file.

    Every date written (core properties, zip entry times) is `when`: byte-stable."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    bold = Font(bold=True)
    wb, ws = new_workbook()
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
    for area, what in cov.unread:
        gaps.append(["Area's return not read", area, what])
    for cid, text in cov.uncovered:
        gaps.append(["Commitment with no update", cid, text])
        gaps.cell(gaps.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    if cov.outside_plan:
        gaps.append(["Not in the plan", "",
                     f"{cov.outside_plan} update(s) against commitments the plan does not have"])
    gaps.freeze_panes = "A2"
    widths = (28, max([20, *(len(a) + 2 for a in cov.silent)]), 90)
    for letter, width in zip("ABC", widths, strict=True):
        gaps.column_dimensions[letter].width = width

    if cov.emailed:
        _senders(wb.create_sheet("Senders"), cov, bold)
    legend = wb.create_sheet("Priorities")
    legend.append(["Priority", "Title"])
    for cell in legend[1]:
        cell.font = bold
    for number, title in cov.priorities:
        legend.append([number, title])
    legend.freeze_panes = "A2"
    legend.column_dimensions["A"].width = 10
    legend.column_dimensions["B"].width = max([20, *(len(t) + 2 for _, t in cov.priorities)])

    naive = when.astimezone(dt.UTC).replace(tzinfo=None)
    wb.properties.created = wb.properties.modified = naive
    wb.properties.creator = wb.properties.lastModifiedBy = "assemble"
    buf = io.BytesIO()
    # ExcelWriter directly: save_workbook would stamp the clock into "modified".
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    return stable_zip(buf.getvalue(), naive)
