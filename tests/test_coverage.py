"""Coverage: updates per area and priority, silent areas, uncovered commitments."""

from __future__ import annotations

import pytest

from assemble.cli.console import coverage_table
from assemble.coverage import UNKNOWN_AREA, Coverage, coverage, notes
from assemble.model import Contribution, Span, Submission, Update
from assemble.writers.report import coverage_markdown

from .plans import sample_plan
from .present import there
from .test_console import rendered

PLAN = sample_plan()
AREAS = [a.name for a in PLAN.areas]
COMMITMENTS = [c.id for p in PLAN.priorities for c in p.commitments]


def u(text: str = "update", *children: Update, label: str | None = None) -> Update:
    return Update((Span(text),) if text else (), tuple(children), label)


def sub(area: str | None, *contributions: Contribution, file: str = "x.docx") -> Submission:
    return Submission(file, "docx", area, tuple(contributions))


@pytest.fixture
def small(small_coverage) -> Coverage:
    return small_coverage


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
    reported = ("1.1", "1.3", "2.1", "5.2", "7.1")
    assert [cid for cid, _ in small.uncovered] == [c for c in COMMITMENTS if c not in reported]
    assert small.uncovered[0][1].startswith("Support increased participation")


def test_no_unknown_row_when_every_area_is_known():
    cov = coverage([sub("South LPA", Contribution("6.2", (u(),)))], PLAN)
    assert cov.areas == tuple(AREAS)


def test_nothing_at_all():
    cov = coverage([], PLAN)
    assert cov.total == 0 and cov.silent == tuple(AREAS) and len(cov.uncovered) == len(COMMITMENTS)
    assert "Total" in rendered(coverage_table(cov)) and "| **Total** |" in coverage_markdown(cov)


@pytest.fixture
def reference(reference_coverage) -> Coverage:
    return reference_coverage


def test_reference_coverage(reference):
    assert reference.total == 93
    assert reference.silent == () and reference.uncovered == ()
    assert dict(reference.rows)["North LPA"] == (0, 7, 3, 2, 5, 3, 0)
    assert dict(reference.rows)["Citizens in Policing"] == (15, 0, 0, 0, 0, 0, 0)
    assert reference.priority_totals() == (23, 19, 9, 15, 13, 9, 5)


def test_notes_name_the_gaps(small):
    [(silent, areas), (uncovered, commitments), (outside, [line])] = notes(small)
    assert silent == "Areas that sent nothing" and areas == list(small.silent)
    assert uncovered == "Commitments with no update" and commitments[0].startswith("1.2 Support increased")
    assert all(len(item) <= 60 + 4 for item in commitments) and commitments[0].endswith("…")
    assert outside == "Not in the plan" and line == "1 update(s) against commitments the plan does not have"
    assert notes(small, width=None)[1][1][0] == f"1.2 {there(PLAN.commitment('1.2')).text}"


def test_notes_when_nothing_is_missing(reference):
    assert notes(reference) == [("Areas that sent nothing", []), ("Commitments with no update", [])]


def test_one_areas_commitment_is_counted_once():
    """Guard rails, case 9: two returns of one area (neither newer, or one superseded) count
    what the merge keeps for each commitment, never both."""
    same = "2020-10-01T09:00:00+00:00"
    a = Submission("North A.docx", "docx", "North LPA", (Contribution("2.1", (u(), u())),), same)
    b = Submission("North B.docx", "docx", "North LPA", (Contribution("2.1", (u(), u())),
                                                           Contribution("3.1", (u(),))), same)
    cov = coverage([a, b], PLAN)
    assert cov.count("North LPA", 2) == 2 and cov.count("North LPA", 3) == 1 and cov.total == 3
    older = Submission("North LPA v1.docx", "docx", "North LPA", (Contribution("2.1", (u(),) * 3),))
    newer = Submission("North LPA v2.docx", "docx", "North LPA", (Contribution("2.1", (u(),)),))
    assert coverage([older, newer], PLAN).count("North LPA", 2) == 1
