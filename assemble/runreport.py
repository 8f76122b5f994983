"""The report of a run, written beside the outputs for the unit to send back
to contributors: what was read, every problem by file, what was left out and
why, and the coverage of areas by priorities."""

from __future__ import annotations

import os
from pathlib import Path

from . import coverage as cov


def to_markdown(asm) -> str:
    q = asm.quarter
    lines = [f"# {asm.plan.full_title} – {asm.plan.document} {q.short}: submissions report", ""]
    lines += [asm.counts_line() + ".", ""]
    lines += ["## Files read", "", "| file | area | format | updates |", "| --- | --- | --- | ---: |"]
    lines += [f"| {_md(f.file)} | {_md(f.area or '(area not known)')} | {f.format} | {f.updates} |"
              for f in asm.files]
    lines += ["", "## Problems", ""]
    by_file: dict[str, list] = {}
    for p in asm.problems:
        by_file.setdefault(p.place.file if p.place else "(the run)", []).append(p)
    if not by_file:
        lines.append("None.")
    for file, problems in by_file.items():
        lines += [f"### {_md(file)}", ""]
        for p in problems:
            where = f"{p.place.where}: " if p.place and p.place.where else ""
            hint = f" — {p.hint}" if p.hint else ""
            lines.append(f"- **{p.severity}** {_md(where + p.message + hint)}")
        lines.append("")
    lines += ["## Left out", ""]
    left = asm.merged.left_out
    lines += [f"- {_md(lo.file)}: {lo.updates} update(s), {_md(lo.reason)}" for lo in left] or ["Nothing."]
    lines += ["", "## Coverage", "", cov.to_markdown(asm.coverage)]
    return "\n".join(lines).rstrip() + "\n"


def write(asm, out_dir: Path, timestamp) -> list[Path]:
    """report.md and coverage.xlsx, each replaced whole (never half-written) and
    only when its content changed, so a run with nothing new writes nothing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / "report.md"
    _replace(report, to_markdown(asm).encode("utf-8"))
    sheet = out_dir / "coverage.xlsx"
    tmp = out_dir / ".coverage.tmp.xlsx"
    try:
        cov.write_xlsx(asm.coverage, tmp, timestamp)
        _replace(sheet, tmp.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
    return [report, sheet]


def _replace(path: Path, data: bytes) -> None:
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
