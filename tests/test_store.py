"""A quarter's outputs folder as a store: one build at a time, staged, never overwritten."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from assemble.errors import OutputError, VersionError
from assemble.versions import MANIFEST, Fingerprint, Manifest, Output, Version
from assemble.versions.store import HOLDER, LOCK, Store

from .present import there

Q = "2020-21-Q2"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "outputs" / Q, Q)


def version(v: str = "1.0") -> Version:
    return Version(v, "2020-10-01T00:00:00+00:00", False, "c" * 64, Fingerprint({}, {}, "0.1.0"),
                   {"pdf": Output(f"quarterly-update-{Q}-v{v}.pdf", "d" * 64)})


# --- the lock ---------------------------------------------------------------------------------


def test_the_lock_says_who_holds_it_and_is_kept_after(store):
    with store.locked():
        assert store.folder.is_dir()  # made for the lock
        holder = (store.folder / HOLDER).read_text(encoding="utf-8")
        assert holder == f"pid {os.getpid()} on {socket.gethostname()}\n"
    assert not (store.folder / HOLDER).exists()
    assert (store.folder / LOCK).exists()  # filelock keeps its file
    with store.locked():  # and it can be taken again
        pass


def test_a_second_holder_is_refused_with_the_first_ones_pid(store):
    with store.locked(), pytest.raises(VersionError) as err, Store(store.folder, Q).locked():
        pass
    message = err.value.message
    assert message.startswith(f"another build of {Q} is running (pid {os.getpid()} on ")
    assert f"remove {store.folder / LOCK} if no build is running" in message and "\n" not in message


def test_a_lock_held_by_another_process_names_its_pid(store):
    code = ("import sys; from pathlib import Path; from assemble.versions.store import Store\n"
            f"with Store(Path({str(store.folder)!r}), {Q!r}).locked():\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.read()\n")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    stdin, stdout = there(holder.stdin), there(holder.stdout)  # both piped
    try:
        assert stdout.readline().strip() == "held"
        with pytest.raises(VersionError, match=rf"is running \(pid {holder.pid} on {socket.gethostname()}\)"), \
                store.locked():
            pass
    finally:
        stdin.close()
        holder.wait(timeout=10)
        stdout.close()
    assert holder.returncode == 0
    with store.locked():  # released when that process let go
        pass


def test_a_holder_that_left_no_note_is_pid_unknown(store):
    with store.locked():
        (store.folder / HOLDER).unlink()
        with pytest.raises(VersionError, match=r"is running \(pid unknown\)"), Store(store.folder, Q).locked():
            pass


def test_a_folder_that_cannot_be_made_is_an_output_error(tmp_path):
    (tmp_path / "outputs").write_text("a file")
    store = Store(tmp_path / "outputs" / Q, Q)
    with pytest.raises(OutputError) as err, store.locked():
        pass
    assert err.value.message == (f"{tmp_path / 'outputs' / Q}: cannot create it: "
                                 "a part of the path is a file, not a folder")
    assert err.value.hint == "move that file aside or choose another path"
    assert "bug" not in err.value.line() and "\n" not in err.value.line()


# --- the manifest --------------------------------------------------------------------------------


def test_no_manifest_yet_is_an_empty_one(store):
    store.make_folder()
    assert store.manifest() == Manifest(Q)


def test_versions_without_their_manifest_are_refused(store):
    store.make_folder()
    (store.folder / f"quarterly-update-{Q}-v1.0.pdf").write_bytes(b"pdf")
    with pytest.raises(VersionError, match=f"holds versions of {Q} but no {MANIFEST}"):
        store.manifest()


def test_a_manifest_of_another_quarter_or_not_a_manifest_is_refused(store):
    store.make_folder()
    (store.folder / MANIFEST).write_text(json.dumps({"quarter": "2020-21-Q3", "versions": []}))
    with pytest.raises(VersionError, match="is the manifest of 2020-21-Q3, not 2020-21-Q2"):
        store.manifest()
    (store.folder / MANIFEST).write_text("{not json")
    with pytest.raises(VersionError, match="is not a manifest of versions") as err:
        store.manifest()
    assert err.value.hint == "restore it before building"


def test_the_manifest_round_trips_and_is_replaced_whole(store):
    store.make_folder()
    manifest = Manifest(Q, [version("1.0"), version("1.1")])
    store.write_manifest(manifest)
    path = store.folder / MANIFEST
    assert store.manifest() == manifest
    assert (path.stat().st_mode & 0o777) == 0o644
    path.chmod(0o640)
    store.write_manifest(Manifest(Q, [version("1.0")]))
    assert (path.stat().st_mode & 0o777) == 0o640  # its permissions kept
    assert [v.version for v in store.manifest().versions] == ["1.0"]
    assert sorted(p.name for p in store.folder.iterdir()) == [MANIFEST]  # no temporary file left


# --- staging ---------------------------------------------------------------------------------------


def test_sweep_takes_out_what_a_killed_build_left_and_nothing_else(store):
    store.make_folder()
    (store.folder / ".build-v1.1-xyz").mkdir()
    (store.folder / ".build-v1.1-xyz" / "half.pdf").write_bytes(b"half")
    (store.folder / ".manifest.json-abc.tmp").write_bytes(b"half")
    kept = ["quarterly-update-2020-21-Q2-v1.0.pdf", "report.md", ".lock", ".build-notes.txt"]
    for name in kept:
        (store.folder / name).write_bytes(b"x")
    store.sweep()
    assert sorted(p.name for p in store.folder.iterdir()) == sorted(kept)


def test_staging_is_removed_whatever_happens(store):
    store.make_folder()
    with store.staging("v1.0") as tmp:
        assert tmp.parent == store.folder and tmp.name.startswith(".build-v1.0-")
        (tmp / "a.pdf").write_bytes(b"a")
    assert not tmp.exists()
    with pytest.raises(RuntimeError), store.staging("v1.1") as tmp:
        raise RuntimeError("the writer fell over")
    assert not tmp.exists()


def test_refuse_existing_names_the_file(store):
    store.make_folder()
    (store.folder / "changes-v1.1.md").write_text("someone's")
    store.refuse_existing(["quarterly-update-2020-21-Q2-v1.1.native"], "1.1")
    with pytest.raises(VersionError) as err:
        store.refuse_existing(["quarterly-update-2020-21-Q2-v1.1.native", "changes-v1.1.md"], "1.1")
    assert err.value.message == (f"changes-v1.1.md already exists but {MANIFEST} does not record v1.1 of {Q} "
                                 "(an interrupted build, or a lost manifest)")
    assert err.value.hint == "move it aside and build again"


def test_placing_takes_files_back_out_if_the_commit_fails(store):
    store.make_folder()
    with store.staging("v1.0") as tmp:
        (tmp / "a.pdf").write_bytes(b"a")
        (tmp / "b.docx").write_bytes(b"b")
        with pytest.raises(OSError, match="disk full"), store.placing() as placer:
            assert placer.place(tmp / "a.pdf", "a.pdf") == store.folder / "a.pdf"
            assert (store.folder / "a.pdf").read_bytes() == b"a"
            raise OSError("disk full")
    assert not (store.folder / "a.pdf").exists()


def test_placing_never_replaces_a_file(store):
    store.make_folder()
    (store.folder / "a.pdf").write_bytes(b"someone's")
    with store.staging("v1.0") as tmp:
        (tmp / "a.pdf").write_bytes(b"new")
        refused = pytest.raises(VersionError, match=re.escape("a.pdf already exists; not replacing it"))
        with refused, store.placing() as placer:
            placer.place(tmp / "a.pdf", "a.pdf")
    assert (store.folder / "a.pdf").read_bytes() == b"someone's"
