"""The engine record (assemble/writers/pdf/record.py): what no lock can pin but the PDF's
bytes depend on, the text libraries' versions and the fonts the system gave, each with its
version, as the process that laid the PDF out has them."""

from __future__ import annotations

import re
import subprocess

import pytest
from fontTools.ttLib import TTFont

from assemble.writers.pdf import document

from ..present import there
from .test_pdf import SMALL, report_from

CJK = "- [Harlow] Contact: 警察の窓口 (Japanese), 社区警务 (Chinese)."


def _fontconfig(*args: str) -> str:
    return subprocess.run(["fc-match", *args], capture_output=True, text=True, check=True).stdout.strip()


def test_the_record_names_the_text_libraries_the_engine_runs_on():
    from weasyprint.text.ffi import harfbuzz, pango

    record = document.lay_out_pdf(report_from(SMALL)).engine
    number = pango.pango_version()  # WeasyPrint's own binding: 15012 for 1.50.12
    assert record.pango == f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    major, minor, micro = (int(n) for n in there(re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", record.harfbuzz)).groups())
    assert harfbuzz.hb_version_atleast(major, minor, micro) and not harfbuzz.hb_version_atleast(major, minor, micro + 1)
    said = subprocess.run(["fc-match", "--version"], capture_output=True, text=True, check=True)
    assert f"fontconfig version {record.fontconfig}" in said.stdout + said.stderr
    assert record.fonts == {}  # Liberation Sans, from templates/fonts: the templates' hash covers it


@pytest.mark.parametrize("processes", [1, 2])
def test_a_font_the_system_gave_is_recorded_with_its_own_version(processes):
    """Chinese and Japanese are drawn in Droid Sans Fallback, which the system gives: its
    version is the one in the name table of the file fontconfig finds for it, whichever
    process laid its page out."""
    laid = document.lay_out_pdf(report_from(SMALL.replace("- Only update of 2.1.", CJK)), processes=processes)
    path = _fontconfig("-f", "%{file}", "Droid Sans Fallback")
    with TTFont(path, lazy=True) as font:
        version = font["name"].getDebugName(5)
    assert laid.engine.fonts == {"Droid Sans Fallback": version}
