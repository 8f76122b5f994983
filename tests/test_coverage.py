"""Coverage: updates per area and priority, silent areas, uncovered commitments."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from assemble.coverage import UNKNOWN_AREA, Coverage, coverage, to_markdown, to_text, write_xlsx
from assemble.model import Contribution, Span, Submission, Update
from assemble.plan import load_plan
from .test_proofread import reference_submissions

PLAN = load_plan()
AREAS = [a.name for a in PLAN.areas]
COMMITMENTS = [c.id for p in PLAN.priorities for c in p.commitments]


def u(text: str = "update", *children: Update, label: str | None = None) -> Update:
    return Update((Span(text),) if text else (), tuple(children), label)


def sub(area: str | None, *contributions: Contribution, file: str = "x.docx") -> Submission:
    return Submission(file, "docx", area, tuple(contributions))


@pytest.fixture
def small() -> Coverage:
    return coverage(
        [
            sub("North LPA",
                Contribution("2.1", (u("", u(), u(), label="Colchester"),), "Colchester"),  # bare label: 2
                Contribution("2.1", (u(),), "Tendring"),
                Contribution("5.2", (u("update", u(), u()),))),  # an update with two nested: 3
            sub("Force Control Room", Contribution("1.3", (u(), u()))),
            sub("North LPA", Contribution("7.1", (u(),)), file="late.docx"),  # a second file, same area
            sub(None, Contribution("1.1", (u(),)), file="who.docx"),
            sub("Roads Policing", Contribution("9.9", (u(),))),  # not a commitment of the plan
            sub("West LPA", Contribution("4.1", ())),  # sent, but nothing in it
        ],
        PLAN,
    )


def test_counts_by_area_and_priority(small):
    assert small.areas == (*AREAS, UNKNOWN_AREA)
    assert [n for n, _ in small.priorities] == [1, 2, 3, 4, 5, 6, 7]
    assert small.count("North LPA", 2) == 3
    assert small.count("North LPA", 5) == 3
    assert small.count("North LPA", 7) == 1
    assert small.count("Force Control Room", 1) == 2
    assert small.count(UNKNOWN_AREA, 1) == 1
    assert small.area_total("North LPA") == 7
    assert small.priority_totals() == (3, 3, 0, 0, 3, 0, 1)
    assert small.total == 10
    assert small.outside_plan == 1


def test_silent_areas_and_uncovered_commitments(small):
    assert small.silent == tuple(a for a in AREAS if a not in ("North LPA", "Force Control Room"))
    assert "West LPA" in small.silent and "Roads Policing" in small.silent
    assert [cid for cid, _ in small.uncovered] == [c for c in COMMITMENTS if c not in ("1.1", "1.3", "2.1", "5.2", "7.1")]
    assert small.uncovered[0][1].startswith("Support increased participation")


def test_no_unknown_row_when_every_area_is_known():
    cov = coverage([sub("South LPA", Contribution("6.2", (u(),)))], PLAN)
    assert cov.areas == tuple(AREAS)


def test_nothing_at_all():
    cov = coverage([], PLAN)
    assert cov.total == 0 and cov.silent == tuple(AREAS) and len(cov.uncovered) == len(COMMITMENTS)
    assert "Total" in to_text(cov) and "| **Total** |" in to_markdown(cov)


@pytest.fixture(scope="module")
def reference() -> Coverage:
    return coverage(reference_submissions(), PLAN)


def test_reference_coverage(reference):
    assert reference.total == 93
    assert reference.silent == () and reference.uncovered == ()
    assert dict(reference.rows)["North LPA"] == (0, 7, 3, 2, 5, 3, 0)
    assert dict(reference.rows)["Citizens in Policing"] == (15, 0, 0, 0, 0, 0, 0)
    assert reference.priority_totals() == (23, 19, 9, 15, 13, 9, 5)


# --- renderers ----------------------------------------------------------------


def test_to_text_is_an_aligned_table(reference):
    text = to_text(reference)
    lines = text.splitlines()
    assert lines[0] == "Updates by area and priority"
    assert lines[1].split() == ["Area", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "Total"]
    table = lines[1 : 3 + len(AREAS) + 2]
    # every column ends where its header ends
    header = lines[1]
    ends = [header.index(h) + len(h) for h in ("P1", "P7", "Total")]
    for line in table:
        if line.startswith("-"):
            continue
        for end in ends:
            assert line[end - 1] != " ", line
    north = next(line for line in lines if line.startswith("North LPA"))
    assert north.split() == ["North", "LPA", "-", "7", "3", "2", "5", "3", "-", "20"]
    assert next(line for line in lines if line.startswith("Total")).split()[-1] == "93"
    assert "Areas that sent nothing: none" in lines
    assert "Commitments with no update: none" in lines


def test_to_text_lists_the_gaps(small):
    text = to_text(small)
    assert "Areas that sent nothing:\n  Citizens in Policing\n  Community Safety\n" in text
    assert "  1.2 Support increased participation" in text
    assert UNKNOWN_AREA in text
    assert "Not in the plan: 1 update(s)" in text


def test_to_markdown(small):
    md = to_markdown(small)
    lines = md.splitlines()
    assert lines[0] == "| Area | P1 | P2 | P3 | P4 | P5 | P6 | P7 | Total |"
    assert lines[1] == "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    assert "| North LPA | 0 | 3 | 0 | 0 | 3 | 0 | 1 | 7 |" in lines
    assert lines[2 + len(AREAS) + 1] == "| **Total** | **3** | **3** | **0** | **0** | **3** | **0** | **1** | **10** |"
    assert "- P2: Crack Down on Anti-social Behaviour" in lines
    assert "**Areas that sent nothing:**" in lines and "- West LPA" in lines
    assert f"- 4.1 {PLAN.commitment('4.1').text}" in lines  # in full: a document has room


def test_to_markdown_escapes_pipes():
    cov = Coverage(((1, "A | B"),), (("Odd | name", (1,)),), (), ())
    md = to_markdown(cov)
    assert "| Odd \\| name | 1 | 1 |" in md and "- P1: A \\| B" in md


def test_write_xlsx(small, tmp_path):
    path = write_xlsx(small, tmp_path / "coverage.xlsx", timestamp=dt.datetime(2020, 10, 1, tzinfo=dt.timezone.utc))
    wb = load_workbook(path)
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
    assert any(v[1] == "1.2" and v[2].startswith("Support increased") for v in values)
    assert wb.properties.created == dt.datetime(2020, 10, 1)


def test_write_xlsx_is_byte_stable(small, tmp_path):
    when = dt.datetime(2020, 10, 1, tzinfo=dt.timezone.utc)
    a = write_xlsx(small, tmp_path / "a.xlsx", timestamp=when).read_bytes()
    b = write_xlsx(small, tmp_path / "b.xlsx", timestamp=when).read_bytes()
    assert a == b
