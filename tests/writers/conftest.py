"""The sample quarter rendered once per run, as a draft and as released, for every
writer test that reads it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assemble import native
from assemble.model import Report
from assemble.writers import pdf

from ..meta import META

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "2020-21-Q2.native"


def sample_report(**meta) -> Report:
    return native.load(GOLDEN.read_text(encoding="utf-8"), replace(META, version="1.1", **meta))


@pytest.fixture(scope="session")
def released_pdf(tmp_path_factory):
    """(report, pagination, problems, path) of the sample as released."""
    report = sample_report()
    path = tmp_path_factory.mktemp("released") / "sample.pdf"
    pagination, problems = pdf.write_pdf(report, path)
    return report, pagination, problems, path


@pytest.fixture(scope="session")
def draft_pdf(tmp_path_factory):
    """(report, pagination, problems, path) of the sample as a draft."""
    report = sample_report(draft=True)
    path = tmp_path_factory.mktemp("draft") / "sample.pdf"
    pagination, problems = pdf.write_pdf(report, path)
    return report, pagination, problems, path
