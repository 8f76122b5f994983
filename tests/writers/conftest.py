"""The sample quarter rendered once per run, as a draft and as released, for every
writer test that reads it: once in all, not once in each of pytest-xdist's workers."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from assemble.model import Report
from assemble.versions import native
from assemble.writers.pdf import document as pdf

from ..meta import META
from ..quarters import GOLDEN


def sample_report(**meta) -> Report:
    return native.load(GOLDEN.read_text(encoding="utf-8"), replace(META, version="1.1", **meta))


def _once_per_run(tmp_path_factory, name: str, make: Callable[[Path], Any]) -> Any:
    """make(folder), made by whichever worker asks first and read back by the others: the
    result pickled in the folder every worker's temporary folder is in, under a file lock
    (pytest-xdist's documented way to share a session fixture)."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    folder = root / f"once-{name}"
    result = folder / "result.pickle"
    with FileLock(f"{folder}.lock"):
        if not result.exists():
            folder.mkdir(exist_ok=True)
            result.write_bytes(pickle.dumps(make(folder)))
        return pickle.loads(result.read_bytes())


def _sample_pdf(tmp_path_factory, name: str, **meta):
    report = sample_report(**meta)

    def make(folder: Path):
        path = folder / "sample.pdf"
        pagination, problems = pdf.write_pdf(report, path)
        return pagination, problems, path

    return (report, *_once_per_run(tmp_path_factory, name, make))


@pytest.fixture(scope="session")
def released_pdf(tmp_path_factory):
    """(report, pagination, problems, path) of the sample as released."""
    return _sample_pdf(tmp_path_factory, "released")


@pytest.fixture(scope="session")
def draft_pdf(tmp_path_factory):
    """(report, pagination, problems, path) of the sample as a draft."""
    return _sample_pdf(tmp_path_factory, "draft", draft=True)
