"""The commands from options to an exit status: one line for every failure, on
stderr, naming what it is about; "bug" only for assemble's own mistakes."""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

import pytest

from assemble.cli import commands, main
from assemble.cli.console import Console
from assemble.errors import FolderError, UsageError

from .builders import word


def consoles():
    out, err = io.StringIO(), io.StringIO()
    return Console(out, err), out, err


@pytest.fixture
def quarter(tmp_path) -> Path:
    """A quarter with one clean return: nothing on stderr unless the command fails."""
    q = tmp_path / "inputs" / "2020-21-Q2"
    q.mkdir(parents=True)
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "Speed checks doubled this quarter.")])
    return q


def build(quarter: Path, outputs: Path | str):
    out, err = io.StringIO(), io.StringIO()
    code = main(["build", str(quarter), "--outputs", str(outputs)], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def assert_one_line_naming(err: str, out: str, path: Path | str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and str(path) in lines[0], lines[0]
    assert "bug" not in out + err and "Traceback" not in out + err


# --- outputs that cannot be used --------------------------------------------------------------


def test_outputs_that_is_a_file(quarter, tmp_path):
    outputs = tmp_path / "outputs"
    outputs.write_text("not a folder")
    code, out, err = build(quarter, outputs)
    assert code == 1
    assert_one_line_naming(err, out, outputs)
    assert "a part of the path is a file, not a folder" in err
    assert outputs.read_text() == "not a folder"


def test_outputs_in_a_read_only_folder(quarter, tmp_path):
    if os.geteuid() == 0:  # chmod does not stop root: a path through a file cannot be written either
        outputs = Path("/dev/null/outputs")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        outputs = locked / "outputs"
    try:
        code, out, err = build(quarter, outputs)
    finally:
        if os.geteuid() != 0:
            outputs.parent.chmod(0o755)
    assert code == 1
    assert_one_line_naming(err, out, outputs)
    assert not outputs.exists()


def test_outputs_that_cannot_be_created(quarter, tmp_path):
    outputs = tmp_path / ("x" * 300)  # longer than any file system allows a name
    code, out, err = build(quarter, outputs)
    assert code == 1
    assert_one_line_naming(err, out, outputs)
    assert "the name is too long" in err


def test_the_results_are_printed_before_the_output_fails(quarter, tmp_path):
    outputs = tmp_path / "outputs"
    outputs.write_text("not a folder")
    _, out, _ = build(quarter, outputs)
    assert "West LPA Q2.docx" in out and "1 update read from 1 file; 1 placed; 0 left out" in out
    assert "built" not in out and "report:" not in out


# --- folders that are not quarters ---------------------------------------------------------------


def test_check_of_a_missing_folder_prints_nothing_on_stdout(tmp_path, plans):
    console, out, err = consoles()
    code = commands.guarded(lambda: commands.check(tmp_path / "2020-21-Q3", plans, commands.Options(), console),
                            console)
    assert code == 1
    assert out.getvalue() == ""
    assert err.getvalue() == (f"error: {tmp_path / '2020-21-Q3'}: no such quarter folder "
                              f"({tmp_path}/ has no quarter folder yet; make a new quarter's folder with "
                              "make templates QUARTER=…)\n")


def test_build_all_of_a_missing_inputs_folder(tmp_path, plans):
    console, out, err = consoles()
    code = commands.guarded(lambda: commands.build_all(tmp_path / "inputs", plans, commands.Options(), console),
                            console)
    assert code == 1 and out.getvalue() == ""
    assert err.getvalue() == f"error: {tmp_path / 'inputs'}: no such folder\n"


def test_build_all_names_a_misnamed_quarter_folder_and_builds_the_rest(quarter, tmp_path, plans):
    (quarter.parent / "returns").mkdir()
    console, out, err = consoles()
    options = commands.Options(outputs=tmp_path / "outputs")
    assert commands.build_all(quarter.parent, plans, options, console) == 1
    assert f"error: {quarter.parent / 'returns'}: 'returns' is not a quarter folder name" in err.getvalue()
    assert "built v1.0:" in out.getvalue()
    assert (tmp_path / "outputs" / "2020-21-Q2" / "manifest.json").is_file()


# --- the guard -----------------------------------------------------------------------------------


def test_guarded_turns_every_failure_into_one_line_and_a_status():
    def raising(exc):
        def action():
            raise exc
        return action

    cases = [
        (FolderError("2020-21-Q3: no such folder", "check it"), 1, "error: 2020-21-Q3: no such folder (check it)"),
        (UsageError("--by needs a name"), 2, "error: --by needs a name"),
        (OSError(errno.ENOSPC, "No space left on device", "/out/x.pdf"), 1,
         "error: /out/x.pdf: cannot use it: no space left on the drive (free some space and run it again)"),
        (KeyboardInterrupt(), 1, "interrupted: nothing was written"),
    ]
    for exc, status, line in cases:
        console, out, err = consoles()
        assert commands.guarded(raising(exc), console) == status
        assert err.getvalue() == line + "\n" and out.getvalue() == ""


def test_only_assembles_own_mistakes_say_bug():
    console, out, err = consoles()

    def broken():
        raise ZeroDivisionError("division by zero")

    assert commands.guarded(broken, console, ("West LPA Q2.docx",)) == 1
    assert err.getvalue() == ("error: unexpected ZeroDivisionError: division by zero (this is a bug in assemble; "
                              "please report it with the inputs: West LPA Q2.docx)\n")
    assert out.getvalue() == ""


def test_a_build_writes_its_results_on_stdout(quarter, tmp_path):
    code, out, err = build(quarter, tmp_path / "outputs")
    assert code == 0, err
    assert err == ""
    folder = tmp_path / "outputs" / "2020-21-Q2"
    assert f"report: {folder / 'report.md'} (coverage: coverage.xlsx)" in out
    assert "built v1.0:" in out and f"  {folder / 'quarterly-update-2020-21-Q2-v1.0.pdf'}" in out
    assert out.rstrip().endswith("first version of 2020-21-Q2")
    code, out, err = build(quarter, tmp_path / "outputs")
    assert (code, err) == (0, "") and out.rstrip().endswith("up to date: v1.0")
