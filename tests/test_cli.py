import io

from assemble.cli import main

from .builders import excel, word


def run(*argv):
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_missing_folder(tmp_path):
    code, out = run("build", str(tmp_path / "2020-21-Q3"))
    assert code == 1
    assert out.strip().count("\n") == 0 and "no such folder" in out


def test_empty_folder(tmp_path):
    (tmp_path / "2020-21-Q3").mkdir()
    code, out = run("build", str(tmp_path / "2020-21-Q3"))
    assert code == 1 and "no submissions" in out and out.count("\n") == 1


def test_not_a_quarter_name(tmp_path):
    (tmp_path / "returns").mkdir()
    code, out = run("check", str(tmp_path / "returns"))
    assert code == 1 and "not a quarter folder name" in out and "Traceback" not in out


def test_usage_mistake_exits_2(capsys):
    assert run("build")[0] == 2
    assert run("frobnicate", "x")[0] == 2


def test_check_prints_a_line_per_file_and_counts(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "a"), (0, "b")])
    excel(q / "FCR.xlsx", [[1, 3, None, 1, "calls"]])
    (q / "~$West LPA Q2.docx").write_bytes(b"lock")
    code, out = run("check", str(q))
    assert code == 0, out
    assert "West LPA Q2.docx" in out and "FCR.xlsx" in out and "~$" not in out
    assert "3 updates read from 2 files; 3 placed; 0 left out" in out
    assert not (tmp_path / "outputs").exists()


def test_every_problem_of_a_run_reported_together(tmp_path):
    q = tmp_path / "2020-21-Q2"
    q.mkdir()
    word(q / "West LPA Q2.docx", [("h", "Priority 7"), (0, "no commitment")])
    (q / "old.doc").write_bytes(b"x")
    (q / "notes.txt").write_text("x")
    code, out = run("check", str(q))
    assert code == 1
    assert "old.doc" in out and "save it as .docx" in out
    assert "notes.txt" in out
    assert "West LPA Q2.docx: paragraph 2" in out


def test_loose_files_in_inputs_are_named(tmp_path):
    inputs = tmp_path / "inputs"
    (inputs / "2020-21-Q2").mkdir(parents=True)
    (inputs / "North LPA.docx").write_bytes(b"x")
    code, out = run("all", str(inputs), "--outputs", str(tmp_path / "out"))
    assert code == 1
    assert "North LPA.docx: not in a quarter folder" in out and "2020-21-Q3" in out


def test_templates_then_placeholders_are_not_updates(tmp_path):
    code, out = run("templates", str(tmp_path / "inputs" / "2020-21-Q3"), "--outputs", str(tmp_path / "out"))
    assert code == 0 and out.count("wrote ") == 22
    blank = tmp_path / "out" / "2020-21-Q3" / "blank-templates"
    q = tmp_path / "inputs" / "2020-21-Q3"
    q.mkdir(parents=True)
    (q / "West LPA - 2020-21-Q3 submission.docx").write_bytes(
        (blank / "West LPA - 2020-21-Q3 submission.docx").read_bytes())
    code, out = run("check", str(q))
    assert code == 1
    assert "still start 'Replace this'" in out and "no updates in any submission" in out
    code, again = run("templates", str(q), "--outputs", str(tmp_path / "out"))
    assert code == 1 and "not overwriting" in again
