"""The command as a person runs it: in a real terminal (a pseudo-terminal), colour;
piped or with NO_COLOR, none; and the progress bar of a long build only on a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from assemble.cli import console as console_module
from assemble.cli.console import Console

from .builders import word

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ASSEMBLE = [sys.executable, "-m", "assemble"]


def quarter(tmp_path: Path) -> Path:
    folder = tmp_path / "2020-21-Q2"
    folder.mkdir()
    word(folder / "West LPA Q2.docx", [("h", "Priority 7"), "1", (0, "Officers patrolled Tending.")])
    return folder


def in_a_terminal(argv: list[str], env: dict[str, str]) -> str:
    """What a command writes to a pseudo-terminal, stdout and stderr together."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS")}
    env.update(TERM="xterm-256color", **extra)
    return env


def test_colour_on_a_terminal_only_the_severity_word(tmp_path):
    text = in_a_terminal([*ASSEMBLE, "check", str(quarter(tmp_path))], clean_env())
    assert ANSI.search(text), text
    line = next(ln for ln in text.splitlines() if "Tending" in ln and "warning" in ln)
    assert ANSI.sub("", line).strip().startswith("warning: West LPA Q2.docx")
    word, _, message = line.partition("warning")
    assert ANSI.search(word)  # the word is coloured…
    assert not ANSI.search(message.removeprefix("\x1b[0m").rstrip("\r"))  # …the message is not


def test_no_colour_with_no_color_or_when_piped(tmp_path):
    folder = quarter(tmp_path)
    assert not ANSI.search(in_a_terminal([*ASSEMBLE, "check", str(folder)], clean_env(NO_COLOR="1")))
    piped = subprocess.run([*ASSEMBLE, "check", str(folder)], capture_output=True, text=True, env=clean_env(),
                           check=False)
    assert piped.returncode == 0 and "Tending" in piped.stderr
    assert not ANSI.search(piped.stdout + piped.stderr)


def test_a_long_build_shows_a_progress_bar_on_a_terminal_and_takes_it_away(monkeypatch):
    monkeypatch.setattr(console_module, "PROGRESS_AFTER", 0.05)
    monkeypatch.setenv("FORCE_COLOR", "1")
    import io

    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err)
    assert console.err.is_terminal
    with console.progress() as step:
        step.expect(3)
        step("reading North LPA.docx")
        assert step.shown.wait(10)  # the bar, once the build has run PROGRESS_AFTER s
        step("laying out the PDF")
    shown = err.getvalue()
    assert "laying out the PDF" in shown and "━" in shown
    assert out.getvalue() == ""


def test_no_progress_bar_when_the_build_is_quick(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    import io

    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err)
    with console.progress() as step:
        step.expect(3)
        step("reading")
    assert err.getvalue() == ""
