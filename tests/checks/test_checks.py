"""The checks as one list: what each finds and in which order a run reports it.
The last tests proofread the published reference text (tests/fixtures), parsed
into the 93 updates it holds (tests/reference.py)."""

from __future__ import annotations

import pytest

from assemble import checks
from assemble.checks import counts, dates, duplicates, figures, left_out, places, unchanged
from assemble.errors import Place, Severity
from assemble.model import Submission

from ..present import there
from ..reference import PLAN, reference_submissions
from .common import assembly, c, places_in_order, proofread, sub, u


def test_every_check_is_in_the_list_merge_first_totals_last():
    expected = (left_out.check, places.check, figures.check, dates.check, duplicates.check, unchanged.check,
                counts.check)
    assert expected == checks.CHECKS
    assert checks.CHECKS[0] in checks.MERGE and checks.CHECKS[-1] in checks.TOTALS


def test_run_reports_proofreading_in_the_order_the_places_stand():
    s = sub(c(u("Officers patrolled Chelmsfrod.", where="paragraph 3"),
              u("There were 120 arrests, up from 150 last year.", where="paragraph 2"),
              u("Arrested in November 2020.", where="paragraph 1")))
    order = [Place("x.docx"), Place("x.docx", "paragraph 1"), Place("x.docx", "paragraph 2"),
             Place("x.docx", "paragraph 3")]
    found = checks.run(assembly([s]), order)
    assert [there(p.place).where for p in found] == ["paragraph 1", "paragraph 2", "paragraph 3"]
    # without an order, each check's findings in turn: places, figures, dates, duplicates
    assert [there(p.place).where for p in checks.run(assembly([s]))] == ["paragraph 3", "paragraph 2", "paragraph 1"]


def test_run_puts_what_was_left_out_first_and_the_totals_last():
    a = sub(c(u("Officers patrolled Chelmsfrod.", where="p1")), file="North A.docx")
    b = sub(c(u("b"), commitment="1.1"), file="who.docx", area=None)
    asm = assembly([a, b])
    found = checks.run(asm, places_in_order([a, b]))
    assert [p.severity for p in found] == [Severity.ERROR, Severity.WARNING]
    assert found[0].message.startswith("1 update(s) left out: the area that sent it is not known")
    assert "Chelmsfrod" in found[1].message
    empty = assembly([sub(c(district="Colchester"))])
    assert checks.run(empty)[-1].message.endswith("no updates in any submission")


def test_checks_never_change_the_submissions():
    s = sub(c(u("There were 254 casualties, down from 238.", label="Tending")))
    before = repr(s)
    asm = assembly([s])
    assert checks.run(asm)
    assert repr(s) == before and asm.submissions == (s,)


# --- the published reference ---------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> list[Submission]:
    return reference_submissions()


def test_reference_parses_into_93_updates(reference):
    assert sum(s.count() for s in reference) == 93
    assert [s.area for s in reference] == [a.name for a in PLAN.areas]
    north = next(s for s in reference if s.area == "North LPA")
    assert "Tending" in {cb.district for cb in north.contributions}


# The four content slips of the published reference, where they stand and what
# the warning suggests. Any other warning on the reference fails this test.
SLIPS = [
    ("Force Control Room.docx: page 5, bullet 1", "22.5%", "22.8%"),
    ("Roads Policing.docx: page 16, bullet 1", "254", "up from"),
    ("North LPA.docx: page 7, bullet 8", "'Saffron Waldon'", "'Saffron Walden'"),
    ("North LPA.docx: page 8, bullet 7", "'Tending'", "'Tendring'"),
]


def test_reference_warnings_are_exactly_the_four_slips(reference):
    problems = proofread(reference)
    assert all(p.severity == "warning" for p in problems)
    assert len(problems) == len(SLIPS), "\n".join(map(str, problems))
    for p, (where, said, suggested) in zip(problems, SLIPS, strict=True):
        assert str(p.place) == where, p
        assert said in p.message and suggested in p.hint, p


def test_the_whole_run_on_the_reference_finds_only_the_slips(reference):
    asm = assembly(reference)
    assert (asm.read, asm.placed, asm.left_out) == (93, 93, 0)
    assert checks.run(asm, places_in_order(reference)) == proofread(reference)
