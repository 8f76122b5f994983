"""A quarter played through the mistakes people make (the guard rails): the sample quarter
built and released, the next quarter's returns sent out pre-filled, and what comes back
holding a mistyped heading, a misspelt area, a refused file, two copies of one return, a
file in the wrong folder, returns sent back untouched, comments, notes, hidden text and
bullets typed in one line. Every command is asserted on what it says and how it exits;
once the mistakes are mended, no update lands under another commitment than the one it
was sent under."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.comments import Comment

from assemble.versions import native

from .cli import run
from .present import style_name, there
from .quarters import SAMPLE

Q2, Q3 = "2020-21-Q2", "2020-21-Q3"
SENT = "{} - 2020-21-Q3 submission.{}"



def problems(err: str, severity: str) -> list[str]:
    return [line.strip() for line in err.splitlines() if line.strip().startswith(f"{severity}: ")]


def placed(outline: str) -> dict[tuple[str, str], str]:
    """(area, update's words) -> the commitment it stands under, for every update of an outline."""
    found: dict[tuple[str, str], str] = {}
    for p in native.parse(outline):
        for c in p.commitments:
            for block in c.blocks:
                stack = [block]
                while stack:
                    item = stack.pop()
                    children = getattr(item, "children", ())
                    stack.extend(children)
                    text = " ".join(getattr(item, "text", "").split())
                    if text and block.area:
                        found[(block.area, text)] = c.id
    return found


def north_lpa(sent: Path, back: Path) -> None:
    """North LPA's return, filled in with slips: its Priority 6 heading mistyped, a comment for the
    unit, hidden words, bullets typed after Shift+Enter, and a figure compared with last quarter's."""
    d = docx.Document(str(sent))
    paragraphs = d.paragraphs
    heading = next(p for p in paragraphs if p.text.startswith("Priority 6 – "))
    heading.runs[0].text = heading.runs[0].text.replace("Priority 6", "Priorty 6")
    for run_ in heading.runs[1:]:
        run_.text = run_.text.replace("Priority 6", "Priorty 6")
    bullets = [p for p in paragraphs if style_name(p) == "List Paragraph" and p.text]  # not the empty ones to type in
    compared = bullets[0]
    for run_ in compared.runs[1:]:
        run_.text = ""
    compared.runs[0].text = ("Braintree: Reported fly-tipping stood at 512 at the end of December, "
                             "up from 506 at the end of September.")
    commented = bullets[3]
    d.add_comment(commented.runs, text="please confirm this figure before it goes to leadership", author="J. Smith")
    hidden = bullets[5].add_run(" draft wording for the unit only")
    hidden.font.hidden = True
    typed = bullets[8]
    for run_ in typed.runs[1:]:
        run_.text = ""
    typed.runs[0].text = "Chelmsford: Two new patrol routes began in October"
    typed.runs[0].add_break()
    typed.add_run("• Night patrols doubled in the town centre")
    d.save(str(back))


def update_cells(book: openpyxl.Workbook) -> list[openpyxl.cell.Cell]:
    """The filled cells of a return's Update column, top to bottom."""
    sheet = book.worksheets[0]
    header = next(r for r in sheet.iter_rows() if any(c.value == "Update" for c in r))
    update = next(c.column for c in header if c.value == "Update")
    cells = (r[update - 1] for r in sheet.iter_rows(min_row=there(header[0].row) + 1))
    return [c for c in cells if isinstance(c, openpyxl.cell.Cell) and c.value]  # a merged cell has no value


def south_lpa(sent: Path, back: Path) -> None:
    """South LPA's workbook: three bullets typed in one cell (Alt+Enter), and a note on another."""
    book = openpyxl.load_workbook(sent)
    cells = update_cells(book)
    cells[0].value = ("• Canvey Island saw three new Neighbourhood Watch schemes\n"
                      "• Rochford held a knife amnesty\n- 41 knives were handed in")
    cells[1].comment = Comment("is this the right district?", "A. Jones")
    book.save(back)


@pytest.fixture(scope="module")
def cycle(tmp_path_factory) -> Path:
    """The sample quarter built and released, and the next quarter's returns sent out."""
    root = tmp_path_factory.mktemp("scenario")
    shutil.copytree(SAMPLE, root / "inputs" / Q2)
    here, epoch = os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH")
    os.chdir(root)
    try:
        os.environ["SOURCE_DATE_EPOCH"] = "1602000000"  # 6 October 2020
        assert run("all", "inputs")[0] == 0
        assert run("release", Q2, "--by", "A. Analyst")[0] == 0
        os.environ["SOURCE_DATE_EPOCH"] = "1608000000"  # 15 December 2020: the returns go out
        code, out, _ = run("templates", Q3)  # a bare quarter name: inputs/2020-21-Q3
        assert code == 0 and "11 returns, pre-filled from 2020-21-Q2 v1.0" in out
    finally:
        os.chdir(here)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return root


def test_a_quarter_through_the_mistakes_people_make(cycle, monkeypatch):
    monkeypatch.chdir(cycle)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1610000000")
    sent, inbox = Path("outputs") / Q3 / "returns", Path("inputs") / Q3
    north_lpa(sent / SENT.format("North LPA", "docx"), inbox / "North LPA Q3.docx")
    south_lpa(sent / SENT.format("South LPA", "xlsx"), inbox / "South LPA Q3.xlsx")
    shutil.copy2(sent / SENT.format("Force Control Room", "xlsx"), inbox / "FCR Q3.xlsx")  # sent back untouched
    west = docx.Document(str(sent / SENT.format("West LPA", "docx")))
    area = next(p for p in west.paragraphs if p.text == "Area: West LPA")
    area.runs[-1].text = area.runs[-1].text.replace("West LPA", "West LAP")
    area.runs[0].text = area.runs[0].text.replace("West LPA", "West LAP")
    west.save(str(inbox / "West LPA Q3.docx"))
    (inbox / "Roads Policing Q3.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old Word file")
    cpp = inbox / "CPP Q3.docx"
    shutil.copy2(sent / SENT.format("Crime and Public Protection", "docx"), cpp)
    shutil.copy2(cpp, inbox / "CPP Q3 (copy).docx")  # the same return twice, saved at the same time
    shutil.copy2(sent / SENT.format("Local Policing Support Unit", "docx"), Path("inputs") / "LPSU Q3.docx")

    # --- status: who sent what; nobody who sent is chased ------------------------------------
    code, out, err = run("status", Q3)
    assert code == 0
    assert ("7 of 11 areas have sent a return; waiting for Citizens in Policing, Community Safety, Resolution "
            "Centre, Serious and Organised Crime") in out
    assert ("Roads Policing sent, but nothing of it was read: 'Roads Policing Q3.doc' refused (an old Word "
            "97-2003 file: open it in Word and save it as .docx)") in out
    assert "Local Policing Support Unit sent, but nothing of it was read: 'LPSU Q3.docx' not in a quarter folder" \
        in out
    assert [line for line in problems(err, "warning") if "LPSU Q3.docx" in line] == [
        f"warning: {Path('inputs') / 'LPSU Q3.docx'}: not in a quarter folder, so not read (move it into the "
        "quarter it reports on, e.g. inputs/2020-21-Q3/ or inputs/2020-21-Q4/)"]

    # --- check: one error per cause, and the warnings, each where a person can find it -------
    code, out, err = run("check", Q3)
    assert code == 1
    errors = problems(err, "error")
    assert len(errors) == 3, errors
    assert errors[0] == ("error: Roads Policing Q3.doc: an old Word 97-2003 file: open it in Word and save it as "
                         ".docx")
    assert errors[1].startswith("error: West LPA Q3.docx: 'Area: West LAP' is not one of the plan's areas (did you "
                                "mean West LPA?): its ") and "updates are left out" in errors[1]
    assert errors[2].startswith("error: Crime and Public Protection: CPP Q3 (copy).docx and CPP Q3.docx both carry "
                                "commitments ") and "neither is clearly newer" in errors[2]
    warned = problems(err, "warning")
    said = "\n".join(warned)
    assert ("warning: North LPA Q3.docx: the heading 'Priorty 6 – Protecting…' (paragraph ") in said
    assert ("the heading of Priority 6 was edited to 'Priorty 6 – Protecting Children and Vulnerable People': read "
            "as Priority 6 by its identifier") in said
    assert re.search(r"North LPA Q3\.docx: under Priority 2 › 2\.1, the bullet '[^']+' \(paragraph \d+\): a comment "
                     r"by J\. Smith: 'please confirm this figure before it goes to leadership'", said)
    assert "words of hidden text (Word's Hidden font effect) are not printed: 'draft wording for the unit only'" \
        in said
    assert re.search(r"South LPA Q3\.xlsx: sheet '[^']+', cell \w+\d+: a note by A\. Jones: 'is this the right "
                     r"district\?'", said)
    assert [w for w in warned if "FCR Q3.xlsx" in w] == [
        "warning: FCR Q3.xlsx: not filled in: it is the return sent out on 2020-12-15 (ask Force Control Room for "
        "this quarter's return: each update carried over from 2020-21-Q2 must be updated or deleted)"]
    assert re.search(r"warning: North LPA Q3\.docx: \d+ updates are unchanged since 2020-21-Q2", said)
    assert "superseded" not in said  # the two copies are one error, nothing contradicting it
    assert "end of September" not in said  # a comparison with last quarter's figure is no stale date
    assert "area that sent it is not known" not in err  # the misspelt area said once
    assert "•" not in err
    assert out.count("not built") == 0 and "ready to build" not in out

    # --- make agrees with check, and writes no version ---------------------------------------
    code, out, err = run("all", "inputs")
    assert code == 1 and problems(err, "error") == errors
    assert not list((Path("outputs") / Q3).glob("quarterly-update-*"))
    report = (Path("outputs") / Q3 / "report.md").read_text(encoding="utf-8")
    assert report.index("### North LPA") < report.index("#### North LPA Q3.docx") < report.index("### South LPA")
    code, _, err = run("release", Q3)
    assert code == 1 and "not built: fix the errors above" in err

    # --- mended: the quarter builds, and every update is where it was sent -------------------
    os.remove(inbox / "Roads Policing Q3.doc")
    os.remove(inbox / "CPP Q3 (copy).docx")
    shutil.copy2(sent / SENT.format("West LPA", "docx"), inbox / "West LPA Q3.docx")
    shutil.move(Path("inputs") / "LPSU Q3.docx", inbox / "LPSU Q3.docx")
    code, out, err = run("all", "inputs")
    assert code == 0, err
    assert "built v1.0" in out and problems(err, "error") == []
    q2 = placed((Path("outputs") / Q2 / f"quarterly-update-{Q2}-v1.0.native").read_text(encoding="utf-8"))
    q3_text = (Path("outputs") / Q3 / f"quarterly-update-{Q3}-v1.0.native").read_text(encoding="utf-8")
    q3 = placed(q3_text)
    carried = [key for key in q3 if key in q2]
    assert len(carried) > 40
    assert [(key, q2[key], q3[key]) for key in carried if q2[key] != q3[key]] == []
    north_6 = [key for key, cid in q2.items() if key[0] == "North LPA" and cid.startswith("6.")]
    assert north_6 and all(q3.get(key, "").startswith("6.") for key in north_6)  # under the mistyped heading
    assert q3[("South LPA", "Rochford held a knife amnesty")] == q3[("South LPA", "41 knives were handed in")]
    assert q3[("North LPA", "Night patrols doubled in the town centre")] == \
        q3[("North LPA", "Two new patrol routes began in October")]
    for never in ("•", "draft wording", "please confirm", "is this the right district"):
        assert never not in q3_text, never

    # --- release knows what changed -----------------------------------------------------------
    book = openpyxl.load_workbook(inbox / "FCR Q3.xlsx")
    update_cells(book)[0].value = "Call-handling demand in the quarter was the highest on record."
    book.save(inbox / "FCR Q3.xlsx")
    code, out, err = run("release", Q3, "--by", "A. Analyst")
    assert (code, out) == (1, "")
    assert "the returns have changed since v1.0 was built, so make would build a new version" in err
    assert run("all", "inputs")[0] == 0
    code, out, err = run("release", Q3, "--by", "A. Analyst")
    assert code == 0, err
    assert out.startswith("2020-21-Q3: released v1.1 to leadership (2016-2020.toml)\n")
    assert "areas that sent nothing: Citizens in Policing, Community Safety, Resolution Centre, Serious and " \
           "Organised Crime" in out
    assert re.search(r"  \d+ warnings still stand:\n    warning: ", out)
