"""The feedback folder a quarter's run writes (issue 27): for the sample, North LPA's return
with comments on 'Saffron Waldon…' and 'Tending…', the FCR's and Roads Policing's with
notes on the cells their warnings name, none for a return without a problem, and a text
for each of their areas; a quarter built from the copies gives the same 93 updates; the
originals are never touched. Every build writes it — one that stops on errors too —
and ``assemble feedback``; it is replaced whole, never stacked, never half-written."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from assemble import readers, signature
from assemble.cli import main
from assemble.pipeline import assemble
from assemble.resolve import resolve

from .builders import word
from .hostile import parts
from .quarters import ROOT, SAMPLE
from .test_feedback import comments_by_paragraph, notes

COPIES = {"North LPA - Q2 return.docx", "FCR Q2 update.xlsx", "Roads Policing Q2.xlsx"}
TEXTS = {"North LPA.txt", "Force Control Room.txt", "Roads Policing.txt"}


def run(*argv) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main([str(a) for a in argv], out=out, err=err), out.getvalue(), err.getvalue()


def stamps(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample quarter (a copy, its files' times kept) and its feedback, written once."""
    root = tmp_path_factory.mktemp("feedback")
    quarter = root / "inputs" / SAMPLE.name
    shutil.copytree(SAMPLE, quarter)
    before = stamps(quarter)
    code, out, err = run("feedback", quarter, "--outputs", root / "outputs")
    assert code == 0, out + err
    return quarter, root / "outputs" / SAMPLE.name / "feedback", before, out


def test_the_sample_sends_back_north_lpa_fcr_and_roads_policing_only(sample):
    _, folder, _, out = sample
    assert {p.name for p in folder.iterdir()} == COPIES | TEXTS
    assert "3 returns with comments or notes, and a text for 3 areas" in out


def test_north_lpas_comments_are_on_its_two_misspelt_places(sample):
    _, folder, _, _ = sample
    on = comments_by_paragraph(folder / "North LPA - Q2 return.docx")
    assert sorted(text[:14] for text in on) == ["Saffron Waldon", "Tending: The a"]
    for text, said in on.items():
        [comment] = said
        assert comment.startswith(f"{signature.MARK} warning:") and "is not a place in the plan" in comment
        assert f"'{text.split(':')[0]}'" in comment


@pytest.mark.parametrize(("name", "words"), [("FCR Q2 update.xlsx", "22.8%, not 22.5%"),
                                             ("Roads Policing Q2.xlsx", "'down from 238'")])
def test_the_excel_returns_notes_are_on_the_cells_their_warnings_name(sample, name, words):
    _, folder, _, _ = sample
    on = notes(folder / name)
    assert list(on) == ["E2"]  # row 2's Update cell: "sheet 'Updates', row 2"
    assert on["E2"].startswith(f"{signature.MARK} warning: sheet 'Updates', row 2:") and words in on["E2"]


def test_the_originals_are_never_touched(sample):
    quarter, _, before, _ = sample
    assert stamps(quarter) == before


def test_every_part_of_each_original_is_in_its_copy_and_the_rest_byte_identical(sample):
    quarter, folder, _, _ = sample
    edited = {"word/document.xml", "word/comments.xml", "word/_rels/document.xml.rels", "[Content_Types].xml",
              "xl/worksheets/sheet1.xml", "xl/worksheets/_rels/sheet1.xml.rels", "xl/comments1.xml",
              "xl/drawings/vmlDrawing1.vml"}
    for name in COPIES:
        original, copy = parts(quarter / name), parts(folder / name)
        assert set(original) <= set(copy)
        assert {n for n in copy if original.get(n) != copy[n]} <= edited, name


def test_a_quarter_built_from_the_copies_gives_the_same_93_updates(sample, tmp_path, plan):
    quarter, folder, _, _ = sample
    again = tmp_path / SAMPLE.name
    shutil.copytree(quarter, again)
    for name in COPIES:
        shutil.copy(folder / name, again / name)
    before, after = assemble(quarter, plan), assemble(again, plan)
    assert after.read == before.read == 93 and after.placed == 93
    assert [str(p) for p in after.problems] == [str(p) for p in before.problems]  # no word of the unit's notes
    for name in COPIES:
        assert [s.contributions for s in resolve(readers.read(again / name), plan)[0]] == \
            [s.contributions for s in resolve(readers.read(quarter / name), plan)[0]]


def test_an_areas_text_says_what_was_read_what_to_fix_and_what_is_attached(sample):
    _, folder, _, _ = sample
    text = (folder / "North LPA.txt").read_text(encoding="utf-8")
    assert text.startswith("North LPA – your return for the Quarterly Update, Quarter 2 – 2020/21\n")
    assert "- North LPA - Q2 return.docx: 20 updates, every line read" in text
    assert "What to fix (2 warnings):" in text
    fixes = [line for line in text.splitlines() if line.startswith("- warning:")]
    assert len(fixes) == 2 and "'Saffron Waldon'" in fixes[0] and "'Tending'" in fixes[1]
    assert all("North LPA - Q2 return.docx: under Priority" in line for line in fixes)  # places a person finds
    assert "Attached: North LPA - Q2 return.docx – your return with a comment on each of these" in text


# --- every build, replaced whole ------------------------------------------------------------------


@pytest.fixture
def failing(tmp_path) -> Path:
    """A quarter whose one return has an error (a priority the plan lacks) and a warning."""
    q = tmp_path / "inputs" / "2020-21-Q2"
    q.mkdir(parents=True)
    word(q / "West LPA Q2.docx", [("h", "Priority 2"), "1", (0, "Tending: patrols doubled"),
                                  ("h", "Priority 9"), "1", (0, "Nothing under a priority the plan has")])
    return q


def test_a_build_that_stops_on_errors_writes_the_feedback(failing, tmp_path):
    code, out, err = run("build", failing, "--outputs", tmp_path / "out")
    assert code == 1 and "not built" in err
    folder = tmp_path / "out" / "2020-21-Q2" / "feedback"
    assert {p.name for p in folder.iterdir()} == {"West LPA Q2.docx", "West LPA.txt"}
    assert f"feedback: 1 return with comments or notes, and a text for 1 area, in {folder}" in out
    text = (folder / "West LPA.txt").read_text(encoding="utf-8")
    fixes = [line for line in text.splitlines() if line.startswith("- ")][1:]  # after the line of what was read
    assert [line.split(":")[0] for line in fixes] == ["- error", "- warning"]  # the errors first
    assert "no Priority 9" in fixes[0] and "'Tending'" in fixes[1]
    on = comments_by_paragraph(folder / "West LPA Q2.docx")
    assert "Priority 9" in on and "Tending: patrols doubled" in on


def test_the_folder_is_replaced_whole_and_kept_when_nothing_in_it_changed(failing, tmp_path):
    out = tmp_path / "out"
    run("feedback", failing, "--outputs", out)
    folder = out / "2020-21-Q2" / "feedback"
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    run("feedback", failing, "--outputs", out)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before  # the same: left as it was
    word(failing / "West LPA Q2.docx", [("h", "Priority 2"), "1", (0, "Tendring: patrols doubled")])
    code, said, _ = run("feedback", failing, "--outputs", out)
    assert code == 0 and "feedback: none (no return has a problem)" in said
    assert list(folder.iterdir()) == []  # the copy and text before it are gone, nothing stacked
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".feedback")] == []  # no staging left


def test_a_file_in_the_folders_place_is_one_line_naming_it(failing, tmp_path):
    out = tmp_path / "out"
    (out / "2020-21-Q2").mkdir(parents=True)
    (out / "2020-21-Q2" / "feedback").write_text("mine")
    code, _, err = run("feedback", failing, "--outputs", out)
    assert code == 1 and "feedback: cannot write it: it is a file, not a folder" in err
    assert len(err.strip().splitlines()) == 1 + err.count("  warning") + err.count("  error")
    assert (out / "2020-21-Q2" / "feedback").read_text() == "mine"


def test_the_help_and_make_name_the_command(capsys):
    assert run("feedback", "--help")[0] == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "Writes: DIR/<quarter>/feedback/" in said and "a Word comment or an Excel note where it stands" in said
    run("build", "--help")
    assert "what feedback writes, on errors too" in " ".join(capsys.readouterr().out.split())
    made = subprocess.run(["make", "-n", "feedback", "QUARTER=2020-21-Q2"], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert "assemble feedback inputs/2020-21-Q2 --outputs outputs" in made.stdout
