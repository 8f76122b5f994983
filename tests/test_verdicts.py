"""One verdict per file, shared by every command: check, status, build (make) and release say
the same of each file of a quarter, and agree on whether it can be built."""

from __future__ import annotations

from pathlib import Path

import pytest

from .builders import excel, word
from .cli import run


@pytest.fixture
def inputs(tmp_path) -> Path:
    q = tmp_path / "inputs" / "2020-21-Q2"
    q.mkdir(parents=True)
    word(q / "West LPA Q2.docx", [("h", "Priority 2"), "2.1",
                                  (0, "Newly appointed officers worked with partners on hotspots.")])
    excel(q / "FCR Q2 update.xlsx", [[1, 3, None, 1, "The control room answered 91,425 emergency calls."]])
    return tmp_path / "inputs"


def problem_lines(err: str, name: str) -> list[str]:
    return [line.strip() for line in err.splitlines() if name in line and ("error" in line or "warning" in line)]


def test_a_refused_return_counts_as_sent_by_its_area_in_every_command(inputs, tmp_path):
    """Guard rails, case 3: a refused return (.doc, .odt) is sent by the area its name gives: no
    command says that area has not sent, and status names the file and why."""
    q, out = inputs / "2020-21-Q2", str(tmp_path / "out")
    (q / "North LPA Q2.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    (q / "South LPA Q2.odt").write_bytes(b"PK an OpenDocument text")
    code, status, err = run("status", str(q), "--outputs", out)
    assert code == 0
    assert "North LPA Q2.doc" in status and "South LPA Q2.odt" in status
    waiting = next(line for line in status.splitlines() if "have sent a return" in line)
    assert "North LPA" not in waiting and "South LPA" not in waiting and waiting.startswith("4 of 11 areas")
    assert ("North LPA sent, but nothing of it was read: 'North LPA Q2.doc' refused (an old Word 97-2003 file: "
            "open it in Word and save it as .docx)") in status
    assert "South LPA sent, but nothing of it was read: 'South LPA Q2.odt' refused ('.odt' is not a " \
           "submission format)" in status
    said = problem_lines(err, "North LPA Q2.doc")
    assert said == ["error: North LPA Q2.doc: an old Word 97-2003 file: open it in Word and save it as .docx"]

    code, checked, err = run("check", str(q), "--outputs", out)
    assert code == 1 and problem_lines(err, "North LPA Q2.doc") == said
    gaps = checked[checked.index("Areas that sent nothing"):]
    assert "North LPA" not in gaps.splitlines()[0] and "South LPA" not in gaps.split("Commitments")[0]
    assert "Areas whose returns were not read:" in gaps and "North LPA: 'North LPA Q2.doc' refused" in gaps

    code, _, err = run("all", str(inputs), "--outputs", out)
    assert code == 1 and problem_lines(err, "North LPA Q2.doc") == said  # make fails as check does
    assert not list((tmp_path / "out" / "2020-21-Q2").glob("*.pdf"))  # and writes no version
    report = (tmp_path / "out" / "2020-21-Q2" / "report.md").read_text(encoding="utf-8")
    assert "| North LPA Q2.doc | North LPA | doc | refused: an old Word 97-2003 file" in report
    assert "North LPA: 'North LPA Q2.doc' refused" in report


def test_a_file_loose_in_inputs_is_a_warning_in_every_command(inputs, tmp_path):
    """Guard rails, case 4: a file dropped straight into inputs/ is named the same way by check, status,
    make and release; check passes exactly when make does, and make then writes its version."""
    out = str(tmp_path / "out")
    q = inputs / "2020-21-Q2"
    (inputs / "North LPA Q2.docx").write_bytes((q / "West LPA Q2.docx").read_bytes())
    said = [f"warning: {inputs / 'North LPA Q2.docx'}: not in a quarter folder, so not read (move it into the "
            f"quarter it reports on, e.g. {inputs}/2020-21-Q2/ or {inputs}/2020-21-Q3/)"]

    code, checked, err = run("check", str(q), "--outputs", out)
    assert code == 0 and problem_lines(err, "North LPA Q2.docx") == said
    assert checked.rstrip().endswith("ready to build")
    code, status, err = run("status", str(q), "--outputs", out)
    assert code == 0 and problem_lines(err, "North LPA Q2.docx") == said
    assert "North LPA Q2.docx" in status and "not in a quarter folder" in status
    code, built, err = run("all", str(inputs), "--outputs", out)
    assert code == 0 and problem_lines(err, "North LPA Q2.docx") == said and "built v1.0" in built
    code, again, err = run("all", str(inputs), "--outputs", out)  # nothing to build: still named, once
    assert code == 0 and problem_lines(err, "North LPA Q2.docx") == said and "up to date: v1.0" in again
    code, released, err = run("release", str(q), "--outputs", out, "--by", "A. Analyst")
    assert code == 0 and problem_lines(released, "North LPA Q2.docx") == said  # a warning that still stands

    code, _, err = run("check", str(q), "--outputs", out, "--strict")
    assert code == 1 and problem_lines(err, "North LPA Q2.docx") == said
    code, _, err = run("all", str(inputs), "--outputs", out, "--strict")
    assert code == 1 and problem_lines(err, "North LPA Q2.docx") == said


def test_a_loose_file_and_an_empty_newest_quarter(inputs, tmp_path):
    """A loose file beside a quarter still waiting for returns is named, and the quarter waits."""
    (inputs / "2020-21-Q3").mkdir()
    (inputs / "notes.txt").write_text("x")
    code, out, err = run("status", str(inputs / "2020-21-Q3"), "--outputs", str(tmp_path / "out"))
    assert code == 0 and out.startswith("2020-21-Q3: waiting for returns")
    assert problem_lines(err, "notes.txt") == [
        f"warning: {inputs / 'notes.txt'}: not in a quarter folder, so not read (move it into the quarter it "
        f"reports on, e.g. {inputs}/2020-21-Q3/ or {inputs}/2020-21-Q4/)"]
    code, out, err = run("status", str(inputs / "2020-21-Q2"), "--outputs", str(tmp_path / "out"))
    assert code == 0 and "notes.txt" not in out + err  # an older quarter's commands do not name it
