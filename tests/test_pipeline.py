"""The sample quarter, read and merged, is the reviewed golden outline.

The golden is written only by `make accept-golden` and reviewed by a person;
this test compares, it never regenerates."""

from pathlib import Path

from assemble.native import dump
from assemble.pipeline import assemble, report

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "2020-21-Q2"
GOLDEN = ROOT / "tests" / "golden" / "2020-21-Q2.native"


def test_sample_merges_to_the_golden_outline(plan):
    asm = assemble(SAMPLE, plan)
    assert asm.errors == []
    assert asm.counts_line() == "93 updates read from 11 files; 93 placed; 0 left out"
    assert dump(report(asm, "1.0")) == GOLDEN.read_text(encoding="utf-8")
