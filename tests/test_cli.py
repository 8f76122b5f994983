import io

from assemble.cli import main

from .builders import excel, word
from .cli import run


def test_missing_folder(tmp_path):
    code, out, err = run("build", str(tmp_path / "2020-21-Q3"))
    assert code == 1
    assert err.strip().count("\n") == 0 and "2020-21-Q3: no such quarter folder" in err
    assert out == ""


def test_an_empty_quarter_folder_is_waiting_for_returns_not_an_error(tmp_path):
    (tmp_path / "2020-21-Q3").mkdir()
    code, out, err = run("build", str(tmp_path / "2020-21-Q3"), "--outputs", str(tmp_path / "out"))
    assert code == 0 and err == ""
    assert out.startswith("2020-21-Q3: waiting for returns; none has come in yet. Expected from 11 areas: "
                          "Citizens in Policing, ")
    assert not (tmp_path / "out").exists()


def test_a_folder_of_other_files_has_no_submissions(tmp_path):
    (tmp_path / "2020-21-Q3").mkdir()
    (tmp_path / "2020-21-Q3" / "notes.txt").write_text("x")
    code, _, err = run("check", str(tmp_path / "2020-21-Q3"))
    assert code == 1 and "notes.txt: '.txt' is not a submission format" in err


def test_not_a_quarter_name(tmp_path):
    """A folder given to a command that is not named like a quarter is a mistake in the command."""
    (tmp_path / "returns").mkdir()
    code, out, err = run("check", str(tmp_path / "returns"))
    assert code == 2 and "not a quarter folder name" in err and "Traceback" not in out + err


def test_usage_mistake_exits_2(capsys):
    assert run("build")[0] == 2
    assert run("frobnicate", "x")[0] == 2
    assert "usage: assemble" in capsys.readouterr().err


def test_check_prints_a_line_per_file_and_counts(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "a"), (0, "b")])
    excel(q / "FCR.xlsx", [[1, 3, None, 1, "calls"]])
    (q / "~$West LPA Q2.docx").write_bytes(b"lock")
    code, out, err = run("check", str(q))
    assert code == 0, out + err
    assert "West LPA Q2.docx" in out and "FCR.xlsx" in out and "~$" not in out + err
    assert "3 updates read from 2 files; 3 placed; 0 left out; 0 errors, 0 warnings" in out
    assert f"{q}: ready to build" in out
    assert err == ""
    assert not (tmp_path / "outputs").exists()


def test_one_of_each_is_singular(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "an update in Tendring: Chelmsfrod town")])
    (q / "notes.txt").write_text("x")
    code, out, _ = run("check", str(q))
    assert code == 1
    assert "1 update read from 1 file; 1 placed; 0 left out; 1 error, 1 warning" in out  # not "1 updates"


def test_every_problem_of_a_run_reported_together(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), (0, "no commitment")])
    (q / "old.doc").write_bytes(b"x")
    (q / "notes.txt").write_text("x")
    code, out, err = run("check", str(q))
    assert code == 1
    assert "old.doc" in err and "save it as .docx" in err
    assert "notes.txt" in err
    assert "West LPA Q2.docx: under Priority 7, the bullet 'no commitment' (paragraph 2)" in err
    assert f"{q}: not built: fix the errors above; no version was written" in err
    assert "error" not in out.replace("errors,", "")  # problems are not results


def test_loose_files_in_inputs_are_named(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "2020-21-Q2").mkdir(parents=True)
    (inputs / "North LPA.docx").write_bytes(b"x")
    code, _out, err = run("all", str(inputs), "--outputs", str(tmp_path / "out"))
    assert code == 0  # a warning, as in every command (the README says so)
    assert "warning: " in err and "North LPA.docx: not in a quarter folder" in err and "2020-21-Q3" in err
    code, _out, err = run("all", str(inputs), "--outputs", str(tmp_path / "out"), "--strict")
    assert code == 1 and "North LPA.docx: not in a quarter folder" in err


def test_templates_then_placeholders_are_not_updates(tmp_path):
    code, out, err = run("templates", str(tmp_path / "inputs" / "2020-21-Q3"), "--outputs", str(tmp_path / "out"))
    blank = tmp_path / "out" / "2020-21-Q3" / "returns"
    assert code == 0 and err == ""
    assert out.splitlines()[0] == f"2020-21-Q3: 22 returns, blank (no earlier quarter was built), in {blank}"
    assert sum(line.startswith("  ") for line in out.splitlines()) == 22
    q = tmp_path / "inputs" / "2020-21-Q3"
    assert q.is_dir()  # the quarter's folder, ready for what comes back
    (q / "West LPA - 2020-21-Q3 submission.docx").write_bytes(
        (blank / "West LPA - 2020-21-Q3 submission.docx").read_bytes())
    code, out, err = run("check", str(q))
    assert code == 1
    assert "still start 'Replace this'" in err
    assert ("error: West LPA - 2020-21-Q3 submission.docx: no update could be read from it: every bullet still "
            "starts 'Replace this'") in err  # a file that gives nothing is named
    code, again, err = run("templates", str(q), "--outputs", str(tmp_path / "out"))
    assert code == 1 and "not overwriting" in err and again == ""


def test_a_bad_source_date_epoch_is_a_usage_mistake(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "a")])
    code, _out, err = run("build", str(q), "--outputs", str(tmp_path / "out"))
    assert code == 2
    assert err.strip().splitlines()[-1].startswith("error: SOURCE_DATE_EPOCH must be whole seconds since 1970")
    assert "bug" not in err


def test_version():
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["--version"]) == 0
    assert buf.getvalue().startswith("assemble ")
