"""The run report beside the outputs: report.md and coverage.xlsx."""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from assemble.assembly import Assembly
from assemble.coverage import Coverage
from assemble.errors import OutputError, Place, error, warning
from assemble.merge import merge
from assemble.quarter import Quarter
from assemble.verdicts import Kind, Verdict
from assemble.writers.report import coverage_markdown, coverage_xlsx, to_markdown, write

WHEN = dt.datetime(2020, 10, 1, tzinfo=dt.UTC)


@pytest.fixture
def small(small_coverage) -> Coverage:
    return small_coverage


@pytest.fixture
def asm(small_submissions, plan) -> Assembly:
    files = tuple(Verdict(s.file, s.area, s.format, s.count()) for s in small_submissions)
    problems = (
        warning("'Tending' | odd",
                Place("x.docx", "paragraph 4", "Tending: The arrests…", "bullet", "Priority 3 › 3.1"),
                "did you mean 'Tendring'?"),
        error("cannot tell which area sent this file", Place("who.docx"), "put the area's name in it"),
        error("no updates in any submission"),
    )
    return Assembly(Quarter(2020, 2), plan, files, tuple(small_submissions), merge(small_submissions, plan),
                    problems)


# --- coverage ---------------------------------------------------------------------------


def test_coverage_markdown(small, plan):
    md = coverage_markdown(small)
    lines = md.splitlines()
    assert lines[0] == "| Area | P1 | P2 | P3 | P4 | P5 | P6 | P7 | Total |"
    assert lines[1] == "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    assert "| North LPA | 0 | 3 | 0 | 0 | 3 | 0 | 1 | 7 |" in lines
    assert lines[2 + len(plan.areas) + 1] == (
        "| **Total** | **3** | **3** | **0** | **0** | **3** | **0** | **1** | **10** |")
    assert "- P2: Crack Down on Anti-social Behaviour" in lines
    assert "**Areas that sent nothing:**" in lines and "- West LPA" in lines
    assert f"- 4.1 {plan.commitment('4.1').text}" in lines  # in full: a document has room


def test_coverage_markdown_escapes_pipes():
    cov = Coverage(((1, "A | B"),), (("Odd | name", (1,)),), (), ())
    md = coverage_markdown(cov)
    assert "| Odd \\| name | 1 | 1 |" in md and "- P1: A \\| B" in md
    assert "**Areas that sent nothing:** none" in md


def test_coverage_xlsx(small):
    wb = load_workbook(io.BytesIO(coverage_xlsx(small, WHEN)))
    assert wb.sheetnames == ["Coverage", "Gaps", "Priorities"]
    ws = wb["Coverage"]
    assert [c.value for c in ws[1]] == ["Area", *(f"Priority {n}" for n in range(1, 8)), "Total"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "B2"
    assert ws.column_dimensions["A"].width >= len("Local Policing Support Unit")
    assert ws.column_dimensions["B"].width == 11
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["North LPA"] == (0, 3, 0, 0, 3, 0, 1, 7)
    assert rows["Total"] == (3, 3, 0, 0, 3, 0, 1, 10)
    assert all(c.font.b for c in ws[ws.max_row])
    gaps = wb["Gaps"]
    assert [c.value for c in gaps[1]] == ["Gap", "Area or commitment", "Text"]
    assert gaps.freeze_panes == "A2" and all(c.font.b for c in gaps[1])
    values = list(gaps.iter_rows(min_row=2, values_only=True))
    assert ("Area sent nothing", "West LPA", None) in values
    assert any(v[1] == "1.2" and isinstance(v[2], str) and v[2].startswith("Support increased") for v in values)
    assert ("Not in the plan", None, "1 update(s) against commitments the plan does not have") in values
    assert list(wb["Priorities"].iter_rows(min_row=2, max_row=2, values_only=True)) == [
        (1, "More Local, Visible and Accessible Policing")]
    assert wb.properties.created == dt.datetime(2020, 10, 1)


def test_coverage_xlsx_is_byte_stable(small):
    a = coverage_xlsx(small, WHEN)
    b = coverage_xlsx(small, WHEN)
    assert a == b
    assert coverage_xlsx(small, WHEN + dt.timedelta(days=1)) != a


# --- the report -----------------------------------------------------------------------------


def test_to_markdown(asm, small):
    md = to_markdown(asm, small)
    assert md.startswith("# Police and Crime Plan 2016-2020 – Quarterly Update 2020/21 Q2: submissions report\n")
    assert asm.counts_line() + "." in md
    assert "| file | area | format | updates | lines not read |\n" in md
    assert "| who.docx | (area not known) | docx | 1 | 0 |\n" in md
    assert "| x.docx | North LPA | docx | 6 | 0 |\n" in md
    # problems by area, in the plan's order, then by file
    # a Word place as Word shows it (issue 25, case 14)
    assert ("### North LPA\n\n#### x.docx\n\n- **warning** under Priority 3 › 3.1, the bullet 'Tending: The "
            "arrests…' (paragraph 4): 'Tending' \\| odd — did you mean 'Tendring'?\n") in md
    assert ("### (area not known)\n\n#### who.docx\n\n- **error** cannot tell which area sent this file — put the "
            "area's name in it\n") in md
    assert "### The quarter\n\n- **error** no updates in any submission\n" in md
    assert md.index("### North LPA") < md.index("### (area not known)") < md.index("### The quarter")
    assert "## Left out\n\n- who.docx: 1 update(s), the area that sent it is not known\n" in md
    assert md.endswith(coverage_markdown(small))


def test_the_files_table_says_how_many_lines_were_not_read_and_which_file_was_refused(asm, small):
    files = (replace(asm.files[0], not_read=3),
             Verdict("broken.docx", "West LPA", "docx", kind=Kind.REFUSED, why="is damaged"))
    md = to_markdown(replace(asm, files=files), small)
    assert "| x.docx | North LPA | docx | 6 | 3 |\n" in md
    assert "| broken.docx | West LPA | docx | refused: is damaged |  |\n" in md


def test_to_markdown_with_nothing_to_say(plan, reference_coverage):
    asm = Assembly(Quarter(2020, 2), plan, (), (), merge([], plan))
    md = to_markdown(asm, reference_coverage)
    assert "## Problems\n\nNone.\n" in md and "## Left out\n\nNothing.\n" in md


def test_write_replaces_each_file_only_when_it_changed(asm, small, tmp_path):
    out = tmp_path / "outputs" / "2020-21-Q2"
    report, sheet = write(asm, small, out, WHEN)
    assert (report, sheet) == (out / "report.md", out / "coverage.xlsx")
    assert report.read_text(encoding="utf-8") == to_markdown(asm, small)
    assert sheet.read_bytes() == coverage_xlsx(small, WHEN)
    os.utime(report, ns=(1, 1))
    os.utime(sheet, ns=(1, 1))
    write(asm, small, out, WHEN)
    assert report.stat().st_mtime_ns == sheet.stat().st_mtime_ns == 1  # the same bytes: not written
    write(asm, small, out, WHEN + dt.timedelta(days=1))
    assert report.stat().st_mtime_ns == 1 and sheet.stat().st_mtime_ns != 1
    assert sorted(p.name for p in out.iterdir()) == ["coverage.xlsx", "report.md"]  # no temporary files left


def test_write_into_a_path_that_is_a_file_is_an_output_error(asm, small, tmp_path):
    blocker = tmp_path / "outputs"
    blocker.write_text("a file")
    with pytest.raises(OutputError) as err:
        write(asm, small, blocker / "2020-21-Q2", WHEN)
    assert str(blocker) in err.value.message and "bug" not in err.value.line()


def test_a_problem_standing_for_others_lists_each_under_it(asm, small):
    """Guard rails, case 7: the console shows a folded problem's line; report.md lists what it stands for."""
    each = tuple(warning(f"unchanged since 2020-21-Q1: '{t}'", Place("x.docx", f"paragraph {n}"), "write news")
                 for n, t in ((10, "a"), (11, "b | c")))
    folded = warning("2 updates are unchanged since 2020-21-Q1", Place("x.docx"), "write news in each", each)
    md = to_markdown(replace(asm, problems=(folded,)), small)
    assert ("#### x.docx\n\n- **warning** 2 updates are unchanged since 2020-21-Q1 — write news in each\n"
            "  - paragraph 10: unchanged since 2020-21-Q1: 'a' — write news\n"
            "  - paragraph 11: unchanged since 2020-21-Q1: 'b \\| c' — write news\n") in md
