"""The counts that must add up."""

from __future__ import annotations

from dataclasses import replace

from assemble.checks import counts
from assemble.errors import Severity, error
from assemble.model import LeftOut

from .common import assembly, c, sub, u


def test_counts_that_add_up_are_quiet():
    asm = assembly([sub(c(u("a"), u("b"))), sub(c(u("x"), commitment="1.1"), area=None, file="who.docx")])
    assert (asm.read, asm.placed, asm.left_out) == (3, 2, 1)
    assert counts.check(asm) == []


def test_no_updates_at_all():
    [p] = counts.check(assembly([sub(c(district="Colchester"))]))
    assert p.severity is Severity.ERROR and p.place is None
    assert p.message == "2020-21-Q2: no updates in any submission"


def test_no_updates_is_not_said_again_when_a_file_already_failed():
    asm = assembly([])
    asm = replace(asm, problems=(error("cannot be read"),))
    assert counts.check(asm) == []


def test_counts_that_do_not_add_up_are_a_bug():
    asm = assembly([sub(c(u("a"), u("b")))])
    asm = replace(asm, merged=replace(asm.merged, left_out=(LeftOut("x.docx", 5, "lost"),)))
    [p] = counts.check(asm)
    assert p.message == "counts do not add up: 2 updates read from 1 file; 2 placed; 5 left out"
    assert p.hint == "this is a bug in assemble; please report it with the inputs: x.docx"
