"""The sample quarter built end to end: both outputs carry every update once, in order."""

import io
import re

import docx
import pytest
from pypdf import PdfReader

from assemble.cli import main
from assemble.pipeline import assemble, report

from .present import style_name
from .quarters import ROOT, SAMPLE

REFERENCE = ROOT / "tests" / "fixtures" / "reference-2020-21-Q2-v1.1.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    buf, err = io.StringIO(), io.StringIO()
    code = main(["build", str(SAMPLE), "--outputs", str(out)], out=buf, err=err)
    assert code == 0, buf.getvalue() + err.getvalue()
    folder = out / "2020-21-Q2"
    return folder, buf.getvalue()


def flat(text: str) -> str:
    """Spacing-blind text; a line broken after a word's hard hyphen ("re-|launched") joins up."""
    return re.sub(r"(?<=\w-) ", "", " ".join(text.split()))


def reference_updates() -> list[str]:
    """The published reference's 93 updates (bullets that are more than a bare label)."""
    out = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^ *- (.*)$", line)
        if m and not re.fullmatch(r"[A-Z][A-Za-z ]{0,30}:?", m.group(1).strip()):
            text = m.group(1).strip()
            label = re.match(r"^([A-Z][A-Za-z ]{1,40}?) ?: (.*)$", text)
            out.append(flat(label.group(2) if label else text))
    return out


def merged_updates(plan) -> list[str]:
    asm = assemble(SAMPLE, plan)
    texts = []

    def walk(item):
        if item.text.strip():
            texts.append(flat(item.text))
        for child in item.children:
            walk(child)

    for p in report(asm, "1.0").priorities:
        for c in p.commitments:
            for block in c.blocks:
                if hasattr(block, "children"):
                    walk(block)
    return texts


def assert_each_once_in_order(updates: list[str], text: str) -> None:
    position = 0
    for u in updates:
        assert text.count(u) == 1, f"not exactly once: {u[:60]}"
        found = text.find(u, position)
        assert found >= 0, f"out of order: {u[:60]}"
        position = found + len(u)


def test_reference_has_93_updates_and_the_merge_places_them_all(plan):
    ref = reference_updates()
    assert len(ref) == 93
    assert sorted(merged_updates(plan)) == sorted(ref)


def test_pdf_carries_every_update_once_in_merged_order(built, plan):
    folder, _ = built
    reader = PdfReader(folder / "quarterly-update-2020-21-Q2-v1.0.pdf")
    assert len(reader.pages) == 16
    body = flat(" ".join(page.extract_text() for page in reader.pages[2:]))
    # the continuation header repeats only headings and commitments, never an update
    assert_each_once_in_order(merged_updates(plan), body)


def test_docx_carries_every_update_once_in_merged_order(built, plan):
    folder, _ = built
    d = docx.Document(str(folder / "quarterly-update-2020-21-Q2-v1.0.docx"))
    body = [p for p in d.paragraphs if style_name(p) == "Update"]
    text = flat(" ".join(p.text for p in body))
    assert_each_once_in_order(merged_updates(plan), text)


def test_docx_has_no_tables_twelve_commitment_headings_and_no_empty_paragraphs(built):
    folder, _ = built
    d = docx.Document(str(folder / "quarterly-update-2020-21-Q2-v1.0.docx"))
    assert d.tables == []
    assert [style_name(p) for p in d.paragraphs].count("Heading 2") == 12
    assert [style_name(p) for p in d.paragraphs].count("Heading 1") == 7
    assert [n for n, p in enumerate(d.paragraphs) if not p.text.strip()] == []


def test_html_edition_carries_every_update_once_in_merged_order(built, plan):
    from lxml import html

    folder, _ = built
    page = html.parse(str(folder / "quarterly-update-2020-21-Q2-v1.0.html")).getroot()
    assert_each_once_in_order(merged_updates(plan), flat(page.xpath("//main")[0].text_content()))


def test_second_build_is_up_to_date_and_writes_nothing(built):
    folder, first = built
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    buf, err = io.StringIO(), io.StringIO()
    assert main(["build", str(SAMPLE), "--outputs", str(folder.parent)], out=buf, err=err) == 0
    assert "up to date: v1.0" in buf.getvalue()
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    assert "built v1.0" in first


def test_the_build_sends_back_the_returns_with_problems_and_no_other(built):
    """Issue 27: the sample's build writes feedback for North LPA, the FCR and Roads
    Policing (each return with a warning), and none for a return without a problem."""
    folder, out = built
    assert sorted(p.name for p in (folder / "feedback").iterdir()) == [
        "FCR Q2 update.xlsx", "Force Control Room.txt", "North LPA - Q2 return.docx", "North LPA.txt",
        "Roads Policing Q2.xlsx", "Roads Policing.txt"]
    assert f"feedback: 3 returns with comments or notes, and a text for 3 areas, in {folder / 'feedback'}" in out
