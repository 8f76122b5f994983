"""What a run prints and where: results on stdout, problems and errors on stderr;
colour only where rich gives it; submission text printed as it is, never as markup."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console as RichConsole

from assemble.assembly import Assembly
from assemble.cli.console import Console, coverage_table, returns_table
from assemble.coverage import UNKNOWN_AREA
from assemble.errors import FolderError, Place, error, warning
from assemble.merge import merge
from assemble.quarter import Quarter
from assemble.verdicts import Verdict

ANSI = re.compile(r"\x1b\[")
COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-9][;m]")  # a foreground colour in an SGR sequence


def rendered(renderable, width: int = 200) -> str:
    """A rich renderable as plain text, as it shows in a log."""
    buf = io.StringIO()
    RichConsole(file=buf, width=width).print(renderable)
    return buf.getvalue()


def consoles():
    out, err = io.StringIO(), io.StringIO()
    return Console(out, err), out, err


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def small_assembly(subs, plan) -> Assembly:
    files = tuple(Verdict(s.file, s.area, s.format, s.count()) for s in subs)
    problems = (warning("'Tending' looks like a misspelt place name", Place("x.docx", "paragraph 4"),
                        "did you mean 'Tendring'?"),
                error("the file name names several areas", Place("who.docx")))
    return Assembly(Quarter(2020, 2), plan, files, tuple(subs), merge(subs, plan), problems)


# --- the coverage table ------------------------------------------------------------------


def test_coverage_table_is_aligned(reference_coverage, plan):
    lines = [line.rstrip() for line in rendered(coverage_table(reference_coverage)).splitlines()]
    assert lines[0] == "Updates by area and priority"
    assert lines[1].split() == ["Area", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "Total"]
    table = lines[1 : 3 + len(plan.areas) + 2]
    # every column ends where its header ends
    header = lines[1]
    ends = [header.index(h) + len(h) for h in ("P1", "P7", "Total")]
    for line in table:
        if line.startswith("─"):
            continue
        for end in ends:
            assert line[end - 1] != " ", line
    north = next(line for line in lines if line.startswith("North LPA"))
    assert north.split() == ["North", "LPA", "-", "7", "3", "2", "5", "3", "-", "20"]
    assert next(line for line in lines if line.startswith("Total")).split()[-1] == "93"
    assert [line.split()[0] for line in table[2:-2]] == [a.name.split()[0] for a in plan.areas]


def test_coverage_table_has_the_unknown_area_row(small_coverage):
    text = rendered(coverage_table(small_coverage))
    row = next(line for line in text.splitlines() if line.startswith(UNKNOWN_AREA))
    assert row.split()[-8:] == ["1", "-", "-", "-", "-", "-", "-", "1"]
    total = next(line for line in text.splitlines() if line.startswith("Total"))
    assert total.split() == ["Total", "3", "3", "-", "-", "3", "-", "1", "10"]


def test_reading_prints_the_gaps_and_counts_on_stdout_and_problems_on_stderr(small_submissions,
                                                                             small_coverage, plan):
    console, out, err = consoles()
    console.reading(small_assembly(small_submissions, plan), small_coverage)
    text = out.getvalue()
    assert text.startswith("2020-21-Q2: Quarter 2 – 2020/21, data to September 2020 (2016-2020.toml)\n")
    assert "Areas that sent nothing:\n  Citizens in Policing\n  Community Safety\n" in text
    assert "  1.2 Support increased participation" in text
    assert UNKNOWN_AREA in text
    assert "Not in the plan: 1 update(s)" in text
    assert "Updates by area and priority" in text
    assert text.rstrip().endswith("; 1 error, 1 warning")  # "1 error", not "1 errors"
    assert "warning" not in text.replace("1 warning", "") and "Tending" not in text
    assert err.getvalue().splitlines() == [
        "  warning: x.docx: paragraph 4: 'Tending' looks like a misspelt place name (did you mean 'Tendring'?)",
        "  error: who.docx: the file name names several areas",
    ]
    assert not ANSI.search(text + err.getvalue())


def test_reading_says_none_for_no_gaps(reference_coverage, plan):
    console, out, err = consoles()
    asm = Assembly(Quarter(2020, 2), plan, (), (), merge([], plan))
    console.reading(asm, reference_coverage)
    lines = out.getvalue().splitlines()
    assert "Areas that sent nothing: none" in lines
    assert "Commitments with no update: none" in lines
    assert lines[-1] == "0 updates read from 0 files; 0 placed; 0 left out; 0 errors, 0 warnings"
    assert err.getvalue() == ""


def test_returns_table_by_area_in_plan_order(small_submissions, plan):
    text = rendered(returns_table(small_assembly(small_submissions, plan)))
    rows = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert rows[0] == "Area File Format Updates Not read Saved"
    areas = [a.name for a in plan.areas]
    named = [r for r in rows[2:] if any(r.startswith(a + " ") for a in areas)]
    assert [next(a for a in areas if r.startswith(a + " ")) for r in named] == areas  # every area, in plan order
    assert "Force Control Room x.docx docx 2 0" in rows
    assert "North LPA x.docx docx 6 0" in rows and "late.docx docx 1 0" in rows  # a second file of the same area
    assert "Citizens in Policing not sent yet" in rows
    assert rows[-1] == "(area unknown) who.docx docx 1 0"


# --- where lines go ------------------------------------------------------------------------


def test_results_on_stdout_problems_errors_and_notices_on_stderr():
    console, out, err = consoles()
    console.result("built v1.0:")
    console.problem(warning("a warning", Place("a.docx", "row 2"), "a hint"))
    console.problem(error("an error"))
    console.error(FolderError("2020-21-Q3: no such folder", "check the quarter folder's name"))
    console.notice("interrupted: nothing was written")
    assert out.getvalue() == "built v1.0:\n"
    assert err.getvalue().splitlines() == [
        "  warning: a.docx: row 2: a warning (a hint)",
        "  error: an error",
        "error: 2020-21-Q3: no such folder (check the quarter folder's name)",
        "interrupted: nothing was written",
    ]


def test_no_escape_codes_when_writing_to_a_stringio():
    console, out, err = consoles()
    console.result("bold result", style="bold")
    console.problem(warning("w"))
    console.error(FolderError("e"))
    assert not console.out.is_terminal and not console.err.is_terminal
    assert not ANSI.search(out.getvalue()) and not ANSI.search(err.getvalue())


def test_colour_on_a_terminal_but_none_with_no_color(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich's own way to force a terminal
    console, _, err = consoles()
    console.problem(warning("w"))
    assert console.err.is_terminal and COLOUR.search(err.getvalue())

    monkeypatch.setenv("NO_COLOR", "1")
    console, out, err = consoles()
    console.problem(warning("w"))
    console.error(FolderError("e"))
    console.result("r", style="bold red")
    assert console.err.is_terminal
    assert not COLOUR.search(err.getvalue()) and not COLOUR.search(out.getvalue())
    assert "warning: w" in err.getvalue() and "error: e" in err.getvalue()


def test_submission_text_is_never_markup():
    console, out, err = consoles()
    text = "[bold red]not markup[/bold red] :smile: [link=file:///etc/passwd]x[/link]"
    console.result(text)
    console.problem(warning(text, Place("[b]file[/b].docx")))
    assert out.getvalue() == text + "\n"
    assert err.getvalue() == f"  warning: [b]file[/b].docx: {text}\n"


def test_long_lines_are_not_wrapped_for_a_log():
    console, out, err = consoles()
    long = " ".join(["word"] * 100)
    console.result(long)
    console.problem(warning(long, Place("a.docx")))
    assert out.getvalue() == long + "\n"
    assert err.getvalue().count("\n") == 1


def test_no_progress_bar_off_a_terminal():
    console, out, err = consoles()
    with console.progress() as step:
        step.expect(3)
        step("reading a.docx")
        step.pause()
        console.result("a result")
        step.resume()
        step("laying out the PDF")
    assert out.getvalue() == "a result\n" and err.getvalue() == ""
