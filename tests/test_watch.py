"""assemble.watch: builds like `assemble build`, rebuilds when a file lands, reads only what changed.

Proposed as tests/test_watch.py (the lead's to add; bench/ holds it meanwhile).
"""

import io
import os
import shutil
import threading
import time
from pathlib import Path

from assemble import readers
from assemble.cli import main
from assemble.plan import load_plan
from assemble.watch import snapshot, watch

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "inputs" / "2020-21-Q2"


def test_once_prints_what_build_prints(tmp_path):
    out, build_out = io.StringIO(), io.StringIO()
    assert watch(SAMPLE, tmp_path / "w", load_plan(), out, once=True) == 0
    assert main(["build", str(SAMPLE), "--outputs", str(tmp_path / "b")], out=build_out) == 0
    assert out.getvalue() == build_out.getvalue().replace(str(tmp_path / "b"), str(tmp_path / "w"))


def test_a_file_leaving_makes_the_next_version_and_nothing_is_read_again(tmp_path, monkeypatch):
    folder = tmp_path / "2020-21-Q2"
    shutil.copytree(SAMPLE, folder)
    reads: list[str] = []
    for suffix, reader in list(readers.READERS.items()):
        def counting(path, plan, reader=reader):
            reads.append(Path(path).name)
            return reader(path, plan)
        monkeypatch.setitem(readers.READERS, suffix, counting)
    before = dict(readers.READERS)
    out = io.StringIO()
    done = threading.Event()

    def run():
        watch(folder, tmp_path / "out", load_plan(), out, interval=0.05, rounds=1)
        done.set()

    threading.Thread(target=run, daemon=True).start()
    deadline = time.monotonic() + 60
    while "watching" not in out.getvalue():
        assert time.monotonic() < deadline, out.getvalue()
        time.sleep(0.05)
    assert "built v1.0" in out.getvalue() and len(reads) == 11
    os.remove(folder / "West LPA Q2.docx")  # its 14 updates go: the content changes
    assert done.wait(60), out.getvalue()
    text = out.getvalue()
    assert "gone: West LPA Q2.docx: building again" in text
    assert "built v1.1" in text and "rebuilt in" in text
    assert len(reads) == 11  # the other ten files were not read again
    assert readers.READERS == before  # the readers are put back when watch returns


def test_snapshot_ignores_lock_and_hidden_files(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"x")
    (tmp_path / "~$a.docx").write_bytes(b"lock")
    (tmp_path / ".hidden").write_bytes(b"")
    assert list(snapshot(tmp_path)) == ["a.docx"]
    assert snapshot(tmp_path / "missing") is None
