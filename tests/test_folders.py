"""Quarters named on the command line: a bare name means inputs/<name>; a name that is not a
quarter's, or a quarter with no folder, is one error naming it and the quarters there are."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import pytest

from .builders import word
from .cli import run

ROOT = Path(__file__).resolve().parent.parent



@pytest.fixture
def inputs(tmp_path) -> Path:
    q = tmp_path / "inputs" / "2020-21-Q2"
    q.mkdir(parents=True)
    word(q / "West LPA Q2.docx", [("h", "Priority 2"), "2.1", (0, "Officers worked with partners on hotspots.")])
    (tmp_path / "inputs" / "2020-21-Q3").mkdir()
    return tmp_path / "inputs"


def test_a_quarter_with_no_folder_or_a_malformed_name_is_an_error_naming_the_quarters(inputs, tmp_path):
    """Guard rails, case 2: `assemble all --quarter` of a quarter with no folder exits 1, of a name that
    is no quarter's exits 2; each names it and the quarters that exist (it printed nothing and exited 0)."""
    out = str(tmp_path / "out")
    code, said, err = run("all", str(inputs), "--quarter", "2020-21-Q4", "--outputs", out)
    assert (code, said) == (1, "")
    assert err == (f"error: {inputs / '2020-21-Q4'}: no such quarter folder (the quarters in {inputs}/ are "
                   "2020-21-Q2, 2020-21-Q3; make a new quarter's folder with make templates QUARTER=…)\n")
    code, said, err = run("all", str(inputs), "--quarter", "nonsense", "--outputs", out)
    assert (code, said) == (2, "")
    assert err.startswith("error: 'nonsense' is not a quarter folder name") and "2020-21-Q2, 2020-21-Q3" in err
    for command in ("build", "check", "status", "release", "preview", "watch"):
        code, said, err = run(command, str(inputs / "2020-21-Q4"), "--outputs", out)
        assert (code, said) == (1, ""), command
        assert err.startswith(f"error: {inputs / '2020-21-Q4'}: no such quarter folder") and "2020-21-Q3" in err
        code, said, err = run(command, str(inputs / "2020-Q4"), "--outputs", out)
        assert (code, said) == (2, ""), command
        assert err.startswith("error: '2020-Q4' is not a quarter folder name"), command
    assert not (tmp_path / "out").exists()


def test_make_with_a_quarter_that_has_no_folder_fails_with_that_message(inputs, tmp_path):
    """Guard rails, case 2: `make QUARTER=2020-21-Q4` (no such folder) fails, saying so."""
    env = {**os.environ, "NO_COLOR": "1"}
    args = ["make", "-s", "-C", str(ROOT), f"INPUTS={inputs}", f"OUTPUTS={tmp_path / 'out'}"]
    done = subprocess.run([*args, "QUARTER=2020-21-Q4"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode != 0
    assert f"error: {inputs / '2020-21-Q4'}: no such quarter folder" in done.stderr
    done = subprocess.run([*args, "check", "QUARTER=2020-21-Q4"], capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode != 0 and f"{inputs / '2020-21-Q4'}: no such quarter folder" in done.stderr


def test_a_bare_quarter_name_means_the_folder_in_inputs(inputs, monkeypatch):
    """Guard rails, case 13: `assemble status 2020-21-Q2` means inputs/2020-21-Q2 (it was 'no such folder')."""
    monkeypatch.chdir(inputs.parent)
    code, out, err = run("status", "2020-21-Q2", "--outputs", "out")
    assert code == 0 and err == "" and "West LPA Q2.docx" in out
    code, out, err = run("check", "2020-21-Q3", "--outputs", "out")
    assert code == 0 and out.startswith("2020-21-Q3: waiting for returns")
    code, out, err = run("templates", "2020-21-Q4", "--outputs", "out")
    assert code == 0 and (inputs / "2020-21-Q4").is_dir()  # templates still makes the folder
    code, out, err = run("templates", "Q4-2020", "--outputs", "out")
    assert code == 2 and "'Q4-2020' is not a quarter folder name" in err


def test_every_command_says_what_it_writes_and_every_argument_has_help_and_its_default():
    """Guard rails, case 13: --help of each command says what it writes; every argument has help,
    and says its default when it has one."""
    from assemble.cli import _parser

    parser = _parser()
    commands = next(a for a in parser._actions
                    if isinstance(a, argparse._SubParsersAction) and a.dest == "command").choices
    assert set(commands) == {"build", "check", "status", "release", "preview", "templates", "watch", "all", "feedback"}
    for name, command in commands.items():
        text = command.format_help()
        assert "Writes:" in text, name
        for action in command._actions:
            if action.dest == "help":
                continue
            assert action.help, (name, action.dest)
            required = action.required or (not action.option_strings and action.nargs is None)
            assert required or "default" in action.help, (name, action.dest)
    assert "HTML edition" in commands["build"].format_help() and "HTML edition" in commands["release"].format_help()
    assert "final PDF" not in commands["release"].format_help()
