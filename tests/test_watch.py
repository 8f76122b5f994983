"""assemble.cli.watch: builds like `assemble build`, rebuilds when a file lands, reads only what changed."""

import io
import os
import threading
from pathlib import Path

import openpyxl
import pytest
import watchfiles

from assemble import readers
from assemble.cli import commands, main
from assemble.cli.console import Console
from assemble.cli.watch import describe, watch
from assemble.plan.plans import Plans

from .quarters import SMALL_RETURNS, small_quarter


def test_once_prints_what_build_prints(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    build_out, build_err = io.StringIO(), io.StringIO()
    options = commands.Options(outputs=tmp_path / "w")
    quarter = small_quarter(tmp_path / "in")
    assert watch(quarter, Plans(), options, Console(out, err), once=True) == 0
    assert main(["build", str(quarter), "--outputs", str(tmp_path / "b")], out=build_out, err=build_err) == 0
    assert out.getvalue() == build_out.getvalue().replace(str(tmp_path / "b"), str(tmp_path / "w"))
    assert err.getvalue() == build_err.getvalue()


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The names of the files the readers really read, in order."""
    seen: list[str] = []
    for suffix, reader in list(readers.READERS.items()):
        def counting(path, reader=reader):
            seen.append(Path(path).name)
            return reader(path)
        monkeypatch.setitem(readers.READERS, suffix, counting)
    return seen


class Watching:
    """watch() in a thread, its output gathered; stopped by `rounds` or at the end."""

    def __init__(self, folder: Path, outputs: Path, rounds: int):
        self.out, self.err = io.StringIO(), io.StringIO()
        self.done, self.stop, self.listening = threading.Event(), threading.Event(), threading.Event()
        self.status = None

        def run():
            self.status = watch(folder, Plans(), commands.Options(outputs=outputs),
                                Console(self.out, self.err), rounds=rounds, stop=self.stop,
                                listening=self.listening)
            self.done.set()

        self.thread = threading.Thread(target=run, daemon=True)

    def __enter__(self):
        self.thread.start()
        assert self.listening.wait(60), self.text  # built, and the folder watched: a change now is seen
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(60)

    @property
    def text(self) -> str:
        return self.out.getvalue() + self.err.getvalue()


def test_a_file_leaving_makes_the_next_version_and_nothing_is_read_again(tmp_path, reads):
    folder = small_quarter(tmp_path)
    before = dict(readers.READERS)
    with Watching(folder, tmp_path / "out", rounds=1) as w:
        assert "built v1.0" in w.out.getvalue() and len(reads) == len(SMALL_RETURNS)
        os.remove(folder / "West LPA Q2.docx")  # its 14 updates go: the content changes
        assert w.done.wait(60), w.text
    text = w.out.getvalue()
    assert "gone: West LPA Q2.docx: building again" in text
    assert "built v1.1" in text and "rebuilt in" in text
    assert text.rstrip().endswith("stopped watching")
    assert len(reads) == len(SMALL_RETURNS)  # the other files were not read again
    assert before == readers.READERS  # the readers are as they were
    assert w.status == 0


def test_a_changed_file_is_the_only_one_read_again_and_lock_files_do_not_count(tmp_path, reads):
    folder = small_quarter(tmp_path)
    with Watching(folder, tmp_path / "out", rounds=1) as w:
        assert len(reads) == len(SMALL_RETURNS)
        # lock and hidden files build nothing: had they counted, they would be the one round, and named
        (folder / "~$West LPA Q2.docx").write_bytes(b"Word's lock file")
        (folder / ".hidden").write_bytes(b"")
        changed = folder / "Roads Policing Q2.xlsx"
        edited = tmp_path / "edited.xlsx"
        book = openpyxl.load_workbook(changed)
        cell = next(c for row in book["Updates"].iter_rows() for c in row
                    if isinstance(c.value, str) and c.value.startswith("Twelve new Roads Policing Officers"))
        assert isinstance(cell.value, str)
        cell.value = cell.value.replace("Twelve new", "Fourteen new")
        book.save(edited)
        os.replace(edited, changed)  # lands whole, as a finished copy does
        assert w.done.wait(60), w.text
    text = w.out.getvalue()
    # a file renamed over another is "new" to OS notifications, "changed" to polling
    assert "changed: Roads Policing Q2.xlsx: building again" in text or \
        "new: Roads Policing Q2.xlsx: building again" in text, text
    assert "~$" not in text and ".hidden" not in text
    assert "built v1.1" in text and "1 edited" in text
    assert reads[len(SMALL_RETURNS):] == ["Roads Policing Q2.xlsx"]  # only the changed file was read again


def test_describe_a_batch_of_changes():
    batch = {(watchfiles.Change.modified, "/q/a.docx"), (watchfiles.Change.added, "/q/c.xlsx"),
             (watchfiles.Change.added, "/q/b.xlsx"), (watchfiles.Change.deleted, "/q/old.docx")}
    assert describe(batch) == "new: b.xlsx, c.xlsx; changed: a.docx; gone: old.docx"
    assert describe([(watchfiles.Change.deleted, "/q/West LPA Q2.docx")]) == "gone: West LPA Q2.docx"


def test_a_rebuild_prints_what_changed_not_the_whole_run(tmp_path):
    """Guard rails, case 12: after the first build, a rebuild prints the file that landed, its line of
    the returns table, its problems and what cleared, then the new version: not the whole table again."""
    folder = small_quarter(tmp_path)
    with Watching(folder, tmp_path / "out", rounds=1) as w:
        first = w.out.getvalue()
        assert first.count("Area ") == 2  # the returns table and the coverage table, once each
        changed = folder / "Roads Policing Q2.xlsx"
        edited = tmp_path / "edited.xlsx"
        book = openpyxl.load_workbook(changed)
        cell = next(c for row in book["Updates"].iter_rows() for c in row
                    if isinstance(c.value, str) and "down from 238" in c.value)
        assert isinstance(cell.value, str)
        cell.value = cell.value.replace("down from 238", "up from 238")
        book.save(edited)
        os.replace(edited, changed)
        assert w.done.wait(60), w.text
    out = w.out.getvalue()[len(first):]
    err = w.err.getvalue()
    assert "Area " not in out and "Updates by area and priority" not in out  # no table again
    assert "Roads Policing: Roads Policing Q2.xlsx (xlsx): 5 updates, 0 not read, saved " in out
    assert "cleared: warning: Roads Policing Q2.xlsx: sheet 'Updates', row 2: figures contradict" in err
    fcr = [line for line in err.splitlines() if "FCR Q2 update.xlsx" in line]
    assert len(fcr) == 1  # the other file's warning was said by the first build, not again
    assert "built v1.1" in out and "rebuilt in" in out
    rebuild = out[out.index("building again"):]
    assert len(rebuild.splitlines()) <= 15, rebuild  # 51 lines before
