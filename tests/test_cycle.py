"""The quarterly cycle over a year of quarters and two plans: each quarter built with
the plan that covers it, released quarters left alone, content (not file times)
deciding what is built, returns rolled forward and sent back unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from assemble.cli import commands
from assemble.cli.console import Console
from assemble.plan.plans import Plans
from assemble.versions import fingerprint

from .builders import excel, word
from .plans import SAMPLE_PLAN, next_plan, plans_folder


def run(command, folder: Path, plans: Plans, outputs: Path, **options) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err)
    opts = commands.Options(outputs=outputs, **options)
    status = commands.guarded(lambda: command(folder, plans, opts, console), console)
    return status, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def q2_returns(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    word(folder / "West LPA Q2.docx", [
        ("h", "Priority 2"), "2.1",
        (0, "Newly appointed officers worked with partners to identify anti-social behaviour hotspots."),
        (0, "Epping Forest: Measures to manage anti-social behaviour during the lockdown continued."),
    ])
    excel(folder / "FCR Q2 update.xlsx", [[1, 3, None, 1, "Between July and September the control room answered "
                                                             "91,425 emergency calls across the county."]])
    return folder


def next_plan_returns(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    word(folder / "Mid LPA Q1.docx", [
        ("h", "Priority 1"), "1.1", (0, "Mid LPA worked with every partner to deliver the first promise."),
        ("h", "Priority 12"), "12.2", (0, "Chelmsford: Better data sharing began with the council."),
    ])
    excel(folder / "Cyber Q1.xlsx", [[5, 1, None, 1, "The Cyber Crime Unit delivered training to two hundred "
                                                     "small businesses."]])
    return folder


@pytest.fixture
def year(tmp_path):
    """An inputs folder with a quarter of each plan, and the plans for them."""
    inputs = tmp_path / "inputs"
    q2_returns(inputs / "2020-21-Q2")
    next_plan_returns(inputs / "2021-22-Q1")
    plans = plans_folder(tmp_path / "plans", next_plan_text=next_plan())
    return inputs, plans, tmp_path / "outputs"


def test_one_run_builds_quarters_of_two_plans_each_with_its_own(year):
    inputs, plans, outputs = year
    status, out, err = run(commands.build_all, inputs, Plans(plans), outputs)
    assert status == 0, err
    assert "2020-21-Q2: Quarter 2 – 2020/21, data to September 2020 (2016-2020.toml)" in out
    assert "2021-22-Q1: Quarter 1 – 2021/22, data to June 2021 (2021-2024.toml)" in out
    pdf = PdfReader(outputs / "2021-22-Q1" / "quarterly-update-2021-22-Q1-v1.0.pdf")
    contents = pdf.pages[1].extract_text()
    # only the priorities reported on, with the pages they really stand on
    assert "Priority 1 – Priority Title Number 1" in contents and "Priority 12 – Priority Title Number 12" in contents
    assert "Priority 2 –" not in contents and "Priority 6 –" not in contents
    starts = [n for n, page in enumerate(pdf.pages, start=1) if "Priority 12 – Priority Title Number 12"
              in page.extract_text() and n > 2]
    flat = " ".join(contents.replace(".", " ").split())
    assert starts and f"Priority 12 – Priority Title Number 12 {starts[0]}" in flat
    manifest = (outputs / "2021-22-Q1" / "manifest.json").read_text(encoding="utf-8")
    assert '"file": "2021-2024.toml"' in manifest


def test_a_released_quarter_is_history(year, monkeypatch):
    inputs, plans, outputs = year
    assert run(commands.build_all, inputs, Plans(plans), outputs)[0] == 0
    status, out, _ = run(commands.release, inputs / "2020-21-Q2", Plans(plans), outputs, by="A. Analyst")
    assert status == 0 and "released v1.0 to leadership" in out
    released = snapshot(outputs / "2020-21-Q2")

    # a new release of assemble
    fingerprint.package.cache_clear()
    monkeypatch.setattr(fingerprint, "package", lambda: "9.9.9+another")
    # another plan's file changes, and a third plan arrives
    (plans / "2021-2024.toml").write_text(next_plan(last="2023-24-Q4"), encoding="utf-8")
    (plans / "2024-2028.toml").write_text(next_plan(first="2024-25-Q1").replace("2021-2024", "2024-2028"),
                                          encoding="utf-8")
    status, out, err = run(commands.build_all, inputs, Plans(plans), outputs)
    assert status == 0, err
    assert "2020-21-Q2: up to date, v1.0 released (its returns have not changed)\n" in out
    assert snapshot(outputs / "2020-21-Q2") == released
    # the quarter the changed plan shapes gets its next version, as a draft
    assert "built v1.1" in out and (outputs / "2021-22-Q1" / "quarterly-update-2021-22-Q1-v1.1.pdf").exists()

    # its own plan edited: still history, and the run says how to re-render it deliberately
    (plans / "2016-2020.toml").write_text(SAMPLE_PLAN.replace("We will:", "We shall:"), encoding="utf-8")
    status, out, err = run(commands.build_all, inputs, Plans(plans), outputs)
    assert status == 0, err
    assert ("2020-21-Q2: up to date, v1.0 released (its returns have not changed); plans/2016-2020.toml changed "
            "since: make REISSUE=1 QUARTER=2020-21-Q2 re-renders it") in out
    assert snapshot(outputs / "2020-21-Q2") == released

    # built by hand, it is still up to date: nothing is written
    status, out, _ = run(commands.build, inputs / "2020-21-Q2", Plans(plans), outputs)
    assert status == 0 and "up to date: v1.0 (released)" in out
    assert snapshot(outputs / "2020-21-Q2") == {**released, **{k: v for k, v in snapshot(
        outputs / "2020-21-Q2").items() if k in ("report.md", "coverage.xlsx")}}

    # releasing it again says so and changes nothing
    status, out, _ = run(commands.release, inputs / "2020-21-Q2", Plans(plans), outputs, by="B. Other")
    assert status == 0 and "v1.0 was already released by A. Analyst" in out


def test_changed_returns_of_a_released_quarter_make_a_draft_that_says_it_supersedes(year):
    inputs, plans, outputs = year
    run(commands.build_all, inputs, Plans(plans), outputs)
    run(commands.release, inputs / "2020-21-Q2", Plans(plans), outputs, by="A. Analyst")
    excel(inputs / "2020-21-Q2" / "FCR Q2 update.xlsx", [[1, 3, None, 1, "A late correction from the control room "
                                                                         "about its emergency calls."]])
    status, out, _ = run(commands.build_all, inputs, Plans(plans), outputs)
    assert status == 0
    assert "v1.1 is a draft that supersedes v1.0, released to leadership by A. Analyst" in out


def test_release_refuses_while_make_would_build_a_new_version_and_says_what_leadership_receives(year):
    """Guard rails, case 5: release after a return changed says so and fails (it said 'already released;
    nothing to do'); a release prints the version, updates, silent areas and the warnings that stand."""
    inputs, plans, outputs = year
    q = inputs / "2020-21-Q2"
    run(commands.build_all, inputs, Plans(plans), outputs)
    excel(q / "FCR Q2 update.xlsx", [[1, 3, None, 1, "A correction from the control room about its calls."]])
    status, out, err = run(commands.release, q, Plans(plans), outputs, by="A. Analyst")  # v1.0 a draft
    assert (status, out) == (1, "")
    assert err == ("error: 2020-21-Q2: the returns have changed since v1.0 was built, so make would build a new "
                   "version (run make first, check what it builds, then release that)\n")
    run(commands.build_all, inputs, Plans(plans), outputs)
    status, out, err = run(commands.release, q, Plans(plans), outputs, by="A. Analyst")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[:4] == ["2020-21-Q2: released v1.1 to leadership (2016-2020.toml)",
                         "  3 updates read from 2 files; 3 placed; 0 left out",
                         "  areas that sent nothing: Citizens in Policing, Community Safety, Resolution Centre, "
                         "Crime and Public Protection, Serious and Organised Crime, Roads Policing, Local Policing "
                         "Support Unit, North LPA, South LPA",
                         "  0 warnings still stand"]
    manifest = json.loads((outputs / "2020-21-Q2" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["versions"][-1]["released"]["warnings"] == []
    word(q / "West LPA Q2.docx", [("h", "Priority 2"), "2.1",
                                  (0, "In November 2020 five people were arrested in Harlow.")])
    status, out, err = run(commands.release, q, Plans(plans), outputs, by="B. Other")
    assert (status, out) == (1, "")
    assert err.startswith("error: 2020-21-Q2: the returns have changed since v1.1 (released) was built")
    run(commands.build_all, inputs, Plans(plans), outputs)
    status, out, err = run(commands.release, q, Plans(plans), outputs, by="B. Other")
    assert status == 0 and "  1 warning still stands:" in out.splitlines()
    standing = "warning: West LPA Q2.docx: "
    assert any(line.startswith(f"    {standing}") and "November 2020" in line for line in out.splitlines())
    kept = json.loads((outputs / "2020-21-Q2" / "manifest.json").read_text(encoding="utf-8"))["versions"][-1]
    assert [w for w in kept["released"]["warnings"] if w.startswith(standing)] == \
        [w for w in kept["warnings"] if w.startswith(standing)] != []  # kept with the version


def test_a_return_replaced_by_an_older_copy_is_noticed(year):
    inputs, plans, outputs = year
    run(commands.build_all, inputs, Plans(plans), outputs)
    status, out, _ = run(commands.build_all, inputs, Plans(plans), outputs)
    assert "2020-21-Q2: up to date, v1.0 (draft)" in out
    path = inputs / "2020-21-Q2" / "FCR Q2 update.xlsx"
    excel(path, [[1, 3, None, 1, "Between July and September the control room answered 91,426 emergency calls."]])
    os.utime(path, (978307200, 978307200))  # 2001: older than every output
    status, out, _ = run(commands.build_all, inputs, Plans(plans), outputs)
    assert status == 0 and "built v1.1" in out


def test_an_empty_quarter_waits_for_returns_and_names_who_is_expected(year):
    inputs, plans, outputs = year
    (inputs / "2021-22-Q2").mkdir()
    status, out, err = run(commands.build_all, inputs, Plans(plans), outputs)
    assert status == 0, err
    assert "2021-22-Q2: waiting for returns; none has come in yet" in out
    assert "Cyber Crime Unit (cyber.returns@example.org)" in out and "Coast LPA" in out


def test_a_quarter_no_plan_covers_is_one_line_naming_the_plans(tmp_path):
    inputs = tmp_path / "inputs"
    q2_returns(inputs / "2021-22-Q1")
    status, _, err = run(commands.build_all, inputs, Plans(plans_folder(tmp_path / "plans")), tmp_path / "out")
    assert status == 1
    assert err.strip().splitlines() == [
        f"error: 2021-22-Q1: no plan in {tmp_path / 'plans'} covers it (2016-2020.toml covers 2016-17-Q1 to "
        "2020-21-Q4) (add a plan file for it, or extend a plan's first_quarter or last_quarter)"]


def test_a_reissue_is_of_one_quarter(year):
    inputs, plans, outputs = year
    status, _, err = run(commands.build_all, inputs, Plans(plans), outputs, reissue=True)
    assert status == 2 and "a reissue is of one quarter" in err
    run(commands.build_all, inputs, Plans(plans), outputs)
    status, out, _ = run(commands.build_all, inputs, Plans(plans), outputs, reissue=True, quarter="2020-21-Q2")
    assert status == 0 and "built v2.0" in out and "reissue: v2.0 supersedes v1.0" in out
    assert not (outputs / "2021-22-Q1" / "quarterly-update-2021-22-Q1-v2.0.pdf").exists()


def test_a_folder_inside_a_quarter_is_named(year):
    inputs, plans, outputs = year
    (inputs / "2020-21-Q2" / "chased").mkdir()
    shutil.copy(inputs / "2020-21-Q2" / "FCR Q2 update.xlsx", inputs / "2020-21-Q2" / "chased" / "FCR late.xlsx")
    status, _, err = run(commands.check, inputs / "2020-21-Q2", Plans(plans), outputs)
    assert status == 0
    assert "warning: chased: is a folder; files in a folder inside the quarter's folder are not read" in err


def test_rolled_forward_and_sent_back_unchanged_is_flagged(year):
    inputs, plans, outputs = year
    run(commands.build_all, inputs, Plans(plans), outputs)
    q3 = inputs / "2020-21-Q3"
    status, out, _ = run(commands.templates, q3, Plans(plans), outputs)
    assert status == 0 and q3.is_dir() and "pre-filled from 2020-21-Q2 v1.0" in out
    written = sorted(p.name for p in (outputs / "2020-21-Q3" / "returns").iterdir())
    # the areas that reported get one return in their own format; the others a blank of each
    assert "West LPA - 2020-21-Q3 submission.docx" in written and "West LPA - 2020-21-Q3 submission.xlsx" not in written
    assert "Force Control Room - 2020-21-Q3 submission.xlsx" in written
    assert {"North LPA - 2020-21-Q3 submission.docx", "North LPA - 2020-21-Q3 submission.xlsx"} <= set(written)
    for name in ("West LPA - 2020-21-Q3 submission.docx", "Force Control Room - 2020-21-Q3 submission.xlsx"):
        shutil.copy(outputs / "2020-21-Q3" / "returns" / name, q3 / name)
    shutil.copy(inputs / "2020-21-Q2" / "West LPA Q2.docx", q3 / "West LPA Q3 v2.docx")  # last quarter's file itself
    status, out, err = run(commands.check, q3, Plans(plans), outputs)
    assert status == 0, err
    # each file sent back as it went is one warning, standing for its updates' (report.md lists them)
    assert "Force Control Room - 2020-21-Q3 submission.xlsx: not filled in: it is the return sent out on " in err
    assert "West LPA Q3 v2.docx: not filled in: it is byte-identical to 'West LPA Q2.docx', a return for " \
        "2020-21-Q2" in err
    assert "3 of 3 updates are unchanged since 2020-21-Q2" in err  # the copy of v2 supersedes the pre-filled one
    assert "West LPA - 2020-21-Q3 submission.docx: not filled in" not in err  # superseded: said as that
    assert "sheet 'Updates', row 5" not in err  # its updates' warnings are folded into it, not printed
    assert "'Q2'" not in err  # nothing in these updates names a quarter


def test_a_date_left_from_last_quarter_is_named(tmp_path):
    inputs, plans = tmp_path / "inputs", plans_folder(tmp_path / "plans")
    q3 = inputs / "2020-21-Q3"
    q3.mkdir(parents=True)
    excel(q3 / "FCR Q3.xlsx", [
        [1, 3, None, 1, "The control room had 120 call handlers at the end of September."],
        [None, None, None, 1, "During Q2 the control room trained every call handler in the new system."],
        [None, None, None, 1, "In September the control room opened its new training suite."],
    ])
    status, _, err = run(commands.check, q3, Plans(plans), tmp_path / "out")
    assert status == 0
    assert "row 2: 'at the end of September' is the end of the previous data period" in err
    assert "row 3: 'Q2' names another quarter in the 2020/21 Q3 update" in err
    assert "row 4" not in err  # an event in last quarter's months is not a stale position


def test_a_commitment_without_updates_leaves_the_document_unless_the_plan_shows_it(tmp_path):
    inputs = tmp_path / "inputs"
    next_plan_returns(inputs / "2021-22-Q1")
    plans = plans_folder(tmp_path / "plans", next_plan_text=next_plan())
    status, out, _ = run(commands.build, inputs / "2021-22-Q1", Plans(plans), tmp_path / "a")
    assert status == 0
    text = " ".join(p.extract_text() for p in PdfReader(
        tmp_path / "a" / "2021-22-Q1" / "quarterly-update-2021-22-Q1-v1.0.pdf").pages)
    assert "No update this quarter" not in text and "second promise of priority 1 " not in text
    assert "1.2 Deliver the second promise of priority 1" in out  # listed as without an update
    (plans / "2021-2024.toml").write_text(next_plan(show_empty=True), encoding="utf-8")
    status, out, _ = run(commands.build, inputs / "2021-22-Q1", Plans(plans), tmp_path / "b")
    text = " ".join(p.extract_text() for p in PdfReader(
        tmp_path / "b" / "2021-22-Q1" / "quarterly-update-2021-22-Q1-v1.0.pdf").pages)
    assert status == 0 and text.count("No update this quarter") == 21  # 24 commitments, 3 reported


def test_status_lists_who_has_sent_and_who_to_chase(year):
    inputs, plans, outputs = year
    status, out, err = run(commands.status, inputs / "2021-22-Q1", Plans(plans), outputs)
    assert status == 0 and err == ""
    rows = [" ".join(line.split()) for line in out.splitlines()]
    assert any(r.startswith("Cyber Crime Unit Cyber Q1.xlsx xlsx 1 ") for r in rows)
    assert any(r.startswith("Mid LPA Mid LPA Q1.docx docx 2 ") for r in rows)
    assert "Contact Centre not sent yet" in rows
    assert "2 of 4 areas have sent a return; waiting for Contact Centre, Coast LPA" in out


def test_plan_flag_before_or_after_the_command(tmp_path):
    from assemble.cli import main

    q2_returns(tmp_path / "2020-21-Q2")
    other = tmp_path / "other.toml"
    other.write_text(next_plan(first="2016-17-Q1"), encoding="utf-8")  # another plan, for one-off use
    for argv in (["--plan", str(other), "check", str(tmp_path / "2020-21-Q2")],
                 ["check", str(tmp_path / "2020-21-Q2"), "--plan", str(other)]):
        out, err = io.StringIO(), io.StringIO()
        assert main(argv, out=out, err=err) == 1  # another plan's areas and commitments: the returns do not fit
        assert "2020-21-Q2: Quarter 2 – 2020/21, data to September 2020 (other.toml)" in out.getvalue()
        said = err.getvalue()
        assert "row 2: Priority 1 has no commitment 3 in this quarter's plan (other.toml) (it has 1 to 2" in said
        assert "West LPA Q2.docx: cannot tell which area sent this file: its 2 updates are left out (put the " \
               "area's name in the file name or an 'Area: Coast LPA' line at the top)" in said
        assert "update(s) left out" not in said  # one error for one cause
