"""The sample quarter, read and merged, is the reviewed golden outline.

The golden is written only by `make accept-golden` and reviewed by a person;
this test compares, it never regenerates."""

from dataclasses import replace

import pytest

from assemble.pipeline import assemble, report
from assemble.versions.native import dump

from .present import there
from .quarters import GOLDEN, SAMPLE, small_quarter


@pytest.fixture
def small(tmp_path_factory, plan):
    """The small quarter (tests/quarters.py) read: the stages that render build it."""
    return assemble(small_quarter(tmp_path_factory.mktemp("in")), plan)


def test_sample_merges_to_the_golden_outline(plan):
    asm = assemble(SAMPLE, plan)
    assert asm.errors == []
    assert asm.counts_line() == "93 updates read from 11 files; 93 placed; 0 left out"
    assert dump(report(asm, "1.0")) == GOLDEN.read_text(encoding="utf-8")


# --- the stages -----------------------------------------------------------------------


def test_assemble_reads_through_the_reader_it_is_given_and_tells_each_step(tmp_path, plan):
    import shutil

    from assemble import readers

    folder = tmp_path / "2020-21-Q2"
    shutil.copytree(SAMPLE, folder)
    (folder / "notes.txt").write_text("x")
    (folder / "broken.docx").write_bytes(b"not a zip")
    read: list[str] = []

    def counting(path):
        read.append(path.name)
        return readers.read(path)

    cache = readers.ReadCache(counting)
    steps: list[str] = []

    class Steps:
        expected = None

        def __call__(self, what):
            steps.append(what)

        def expect(self, n):
            Steps.expected = n

    asm = assemble(folder, plan, read=cache, step=Steps())
    assert len(read) == 12 and cache.reads == 11  # the broken file was read, but no record kept
    assert Steps.expected == 12 + 1 + 3 and steps[-1] == "checking" and steps[0] == "reading broken.docx"
    # what is not read has its verdict too, first what the folder holds, then what reading refused
    assert [(f.file, f.kind, f.updates) for f in asm.files][:2] == [("notes.txt", "refused", 0),
                                                                     ("broken.docx", "refused", 0)]
    assert asm.files[1].why == "is not a Word file (its contents are not a .docx package)"
    assert [str(p.place) for p in asm.errors] == ["notes.txt", "broken.docx"]  # the folder first, then each file
    assert asm.counts_line() == "93 updates read from 11 files; 93 placed; 0 left out"
    assert [p.name for p in asm.inputs] == sorted((p.name for p in folder.iterdir() if p.suffix != ".txt"),
                                                  key=str.casefold)
    again = assemble(folder, plan, read=cache)
    assert read[12:] == ["broken.docx"]  # only the file that cannot be read is read again
    assert again.problems == asm.problems


def test_problems_are_reported_file_by_file_top_to_bottom(plan):
    asm = assemble(SAMPLE, plan)
    places = [(there(p.place).file, there(p.place).where) for p in asm.warnings]
    assert [f for f, _ in places] == ["FCR Q2 update.xlsx", "North LPA - Q2 return.docx",
                                      "North LPA - Q2 return.docx", "Roads Policing Q2.xlsx"]
    assert places[1][1] == "paragraph 12" and places[2][1] == "paragraph 19"
    # a proofreading check's warning names the place as Word shows it (issue 25, case 14)
    assert there(asm.warnings[1].place).shown == "under Priority 2 › 2.1, the bullet 'Saffron Waldon: Partnership…' " \
                                          "(paragraph 12)"
    assert asm.warnings[1].hint == "did you mean 'Saffron Walden'?"
    assert asm.warnings[2].hint == "did you mean 'Tendring'?"


def test_folders_that_are_not_quarters(tmp_path, plan):
    from assemble.errors import FolderError, UsageError

    with pytest.raises(FolderError, match="no such quarter folder"):
        assemble(tmp_path / "2020-21-Q2", plan)
    (tmp_path / "2020-21-Q3").write_text("a file")
    with pytest.raises(FolderError, match="is a file, not a quarter folder"):
        assemble(tmp_path / "2020-21-Q3", plan)
    (tmp_path / "returns").mkdir()
    with pytest.raises(UsageError, match="'returns' is not a quarter folder name"):
        assemble(tmp_path / "returns", plan)
    (tmp_path / "2020-21-Q4").mkdir()
    with pytest.raises(FolderError, match="no submissions"):
        assemble(tmp_path / "2020-21-Q4", plan)


def test_report_derives_every_label_and_the_draft_mark(plan, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    from .meta import META

    asm = assemble(SAMPLE, plan)
    draft = report(asm, "1.0")
    assert draft.meta.draft and draft.priorities == asm.merged.priorities
    final = report(asm, "1.0", draft=False)
    assert replace(final.meta, templates=()) == META  # the sample's metadata, as tests/meta.py writes it out
    shaping = dict(final.meta.templates)  # and the templates that shaped it, with their versions
    assert shaping["plans/2016-2020.toml"] == plan.sha256[:8] and "quarterly-update.css" in shaping
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1602000000")
    assert report(asm, "1.0").meta.timestamp == "2020-10-06T16:00:00+00:00"


def test_build_then_release_the_newest(tmp_path, small, plan, monkeypatch):
    from pypdf import PdfReader

    from assemble.pipeline import build, release_newest

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1602000000")
    asm = small
    outcome, problems = build(asm, tmp_path)
    assert (outcome.status, outcome.version, problems) == ("built", "1.0", [])
    folder = tmp_path / "2020-21-Q2"
    assert set(outcome.files) == {"pdf", "docx", "html"} and all(p.parent == folder for p in outcome.files.values())
    assert "DRAFT" in PdfReader(outcome.files["pdf"]).pages[0].extract_text()
    assert build(asm, tmp_path)[0].status == "up to date"
    released = release_newest(asm, tmp_path, "A. Analyst").files
    name = "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.0"
    assert released == {kind: folder / f"{name}.{kind}" for kind in ("pdf", "docx", "html")}
    assert "DRAFT" not in " ".join(page.extract_text() for page in PdfReader(released["pdf"]).pages)
    assert "DRAFT" not in released["html"].read_text(encoding="utf-8")
    import docx

    word = docx.Document(str(released["docx"]))
    parts = [word.sections[0].first_page_header, *(s.header for s in word.sections), *(s.footer for s in word.sections)]
    assert all("DRAFT" not in p.text for part in parts for p in part.paragraphs)
    assert "DRAFT" in " ".join(p.text for p in docx.Document(str(outcome.files["docx"])).sections[1].header.paragraphs)
    assert word.core_properties.content_status == "Final" and "DRAFT" not in word.core_properties.title
    # what no lock can pin but the PDF's bytes depend on, with the version and with its release
    import json

    from weasyprint.text.ffi import pango

    entry = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["versions"][-1]
    number = pango.pango_version()
    assert entry["engine"]["pango"] == f"{number // 10000}.{number // 100 % 100}.{number % 100}"
    assert set(entry["engine"]) == {"pango", "harfbuzz", "fontconfig", "fonts"} and entry["engine"]["fonts"] == {}
    assert entry["released"]["engine"] == entry["engine"]


def test_the_templates_that_shaped_a_version_are_in_each_output(tmp_path, small, plan):
    import zipfile

    import pikepdf

    from assemble.pipeline import build

    asm = small
    outcome, _ = build(asm, tmp_path)
    shaping = dict(report(asm, "1.0").meta.templates)
    with pikepdf.open(outcome.files["pdf"]) as pdf:
        recorded = str(pdf.docinfo["/templates"])
    assert f"quarterly-update.docx {shaping['quarterly-update.docx']}" in recorded
    assert f"plans/2016-2020.toml {plan.sha256[:8]}" in recorded
    custom = zipfile.ZipFile(outcome.files["docx"]).read("docProps/custom.xml").decode("utf-8")
    assert f'name="Template quarterly-update.docx"><vt:lpwstr>{shaping["quarterly-update.docx"]}<' in custom
    page = outcome.files["html"].read_text(encoding="utf-8")
    assert f"quarterly-update-web.html {shaping['quarterly-update-web.html']}" in page


def test_preview_marks_every_output_preview_and_makes_no_version(tmp_path, small, plan):
    import docx
    from pypdf import PdfReader

    from assemble.pipeline import preview

    asm = small
    folder = tmp_path / "2020-21-Q2" / "preview"
    files, problems = preview(asm, folder)
    assert problems == [] and set(files) == {"pdf", "docx", "html"}
    assert sorted(p.name for p in folder.iterdir()) == [f"quarterly-update-2020-21-Q2-preview.{k}"
                                                         for k in ("docx", "html", "pdf")]
    pdf = PdfReader(files["pdf"])
    assert str(there(pdf.metadata).title).startswith("PREVIEW: ")
    assert all("PREVIEW" in page.extract_text() and "DRAFT" not in page.extract_text() for page in pdf.pages)
    page = files["html"].read_text(encoding="utf-8")
    assert "<title>PREVIEW: " in page and "DRAFT" not in page
    word = docx.Document(str(files["docx"]))
    marks = " ".join(p.text for s in word.sections for part in (s.header, s.footer) for p in part.paragraphs)
    assert "PREVIEW" in marks and "DRAFT" not in marks
    assert not (tmp_path / "2020-21-Q2" / "manifest.json").exists()
