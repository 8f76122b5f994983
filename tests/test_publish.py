"""Publishing versions: numbered, kept, locked, logged, released."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assemble.errors import VersionError
from assemble.kept import EngineRecord
from assemble.versions import Fingerprint, Template, content_hash
from assemble.versions.publish import Rendered, latest, publish, release, stored_outline
from assemble.versions.store import HOLDER, LOCK, Store

from .present import there

Q = "2020-21-Q2"

OUTLINE = """\
priority 1: More Local, Visible and Accessible Policing
lead-in: We will:
commitment 1.1: Boost community volunteering.
- The Special Constabulary headcount stood at 506 at the end of September.
- [North LPA]
  - [Colchester] Officers held ten street surgeries in Mersea.
priority 2: Crack Down on Anti-social Behaviour
lead-in: Working with partners we will:
commitment 2.1: Target repeat and high harm anti-social behaviour.
- [Thurrock] A dispersal order was used in Grays.
"""
EDITED = OUTLINE.replace("stood at 506", "stood at 510")


def fingerprint(**changes) -> Fingerprint:
    fp = Fingerprint(
        inputs={"north.docx": "a" * 64, "fcr.xlsx": "b" * 64},
        templates={"quarterly-update.docx": Template("1.0", "c" * 64)},
        package="0.1.0",
        counts={"updates": 3, "files": 2},
    )
    return dataclasses.replace(fp, **changes)


class FakeRender:
    """Writes small byte files named as the writers would; records its calls."""

    def __init__(self, draft: bool = True, fail_after: str | None = None, engine: EngineRecord | None = None):
        self.draft, self.fail_after, self.engine = draft, fail_after, engine
        self.calls: list[str] = []

    def __call__(self, version: str, folder: Path) -> Rendered:
        self.calls.append(version)
        mark = b"DRAFT " if self.draft else b""
        files = {}
        for kind in ("docx", "html", "pdf"):
            path = folder / f"quarterly-update-{Q}-v{version}.{kind}"
            path.write_bytes(mark + f"{kind} of v{version}".encode())
            files[kind] = path
            if kind == self.fail_after:
                raise RuntimeError("the PDF writer fell over")
        return Rendered(files, self.engine)


def snapshot(folder: Path) -> dict[str, str | None]:
    """Every file and folder (hidden too) with the hash of its bytes."""
    if not folder.exists():
        return {}
    out: dict[str, str | None] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return out


def manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "outputs" / Q


@pytest.fixture(autouse=True)
def _epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1601510400")  # 2020-10-01T00:00:00Z


def test_first_build_is_v1_0_then_up_to_date(out):
    render = FakeRender()
    first = publish(out, Q, OUTLINE, fingerprint(), render)
    assert (first.status, first.version, first.changes) == ("built", "1.0", None)
    assert first.files == {
        "docx": out / f"quarterly-update-{Q}-v1.0.docx",
        "html": out / f"quarterly-update-{Q}-v1.0.html",
        "pdf": out / f"quarterly-update-{Q}-v1.0.pdf",
    }
    assert all(p.is_file() for p in first.files.values())
    assert (out / f"quarterly-update-{Q}-v1.0.native").read_text(encoding="utf-8") == OUTLINE
    assert latest(out, Q) == "1.0"
    assert stored_outline(out, Q, "1.0") == OUTLINE

    m = manifest(out)
    assert m["quarter"] == Q
    (v,) = m["versions"]
    assert v["version"] == "1.0" and v["built"] == "2020-10-01T00:00:00+00:00"
    assert v["inputs"] == fingerprint().inputs
    assert v["templates"] == {"quarterly-update.docx": {"version": "1.0", "sha256": "c" * 64}}
    assert v["package"] == "0.1.0" and v["counts"] == {"updates": 3, "files": 2}
    assert v["outputs"]["pdf"] == {
        "file": f"quarterly-update-{Q}-v1.0.pdf",
        "sha256": hashlib.sha256((out / f"quarterly-update-{Q}-v1.0.pdf").read_bytes()).hexdigest(),
    }
    assert v["released"] is None

    before = snapshot(out)
    again = publish(out, Q, OUTLINE, fingerprint(), render)
    assert (again.status, again.version, again.changes) == ("up to date", "1.0", None)
    assert again.summary == ["up to date: v1.0"]
    assert again.files == first.files
    assert render.calls == ["1.0"]
    assert snapshot(out) == before
    # who held the lock is gone; the lock file itself stays (filelock keeps it: changed on purpose)
    assert not (out / HOLDER).exists()


def test_resaved_input_with_the_same_content_is_not_a_change(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    resaved = fingerprint(inputs={"north.docx": "d" * 64, "fcr.xlsx": "b" * 64})
    assert publish(out, Q, OUTLINE, resaved, FakeRender()).status == "up to date"


def test_a_change_makes_v1_1_with_a_change_log_and_leaves_v1_0_alone(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    v10 = {k: v for k, v in snapshot(out).items() if "v1.0" in k}
    assert len(v10) == 4  # docx, html, pdf and the outline

    built = publish(out, Q, EDITED, fingerprint(), FakeRender())
    assert (built.status, built.version) == ("built", "1.1")
    assert built.changes == out / "changes-v1.1.md"
    assert built.summary[0] == "1 edited since v1.0"
    md = there(built.changes).read_text(encoding="utf-8")
    assert md.startswith("# Changes in v1.1 since v1.0\n\n1 edited.\n")
    assert "stood at ~~506~~ **510** at the end" in md
    assert md.count("\n- ") == 1  # exactly the one edit
    assert "Thurrock" not in md and "Colchester" not in md

    after = snapshot(out)
    assert {k: after[k] for k in v10} == v10  # byte for byte
    assert [v["version"] for v in manifest(out)["versions"]] == ["1.0", "1.1"]
    assert manifest(out)["versions"][1]["outputs"]["changes"]["file"] == "changes-v1.1.md"
    assert latest(out, Q) == "1.1"
    assert publish(out, Q, EDITED, fingerprint(), FakeRender()).summary == ["up to date: v1.1"]


def test_a_template_change_is_a_new_version_even_with_the_same_outline_and_a_code_change_is_not(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    new_template = fingerprint(templates={"quarterly-update.docx": Template("1.1", "e" * 64)})
    built = publish(out, Q, OUTLINE, new_template, FakeRender())
    assert built.version == "1.1"
    changes = there(built.changes).read_text(encoding="utf-8")
    assert "template quarterly-update.docx changed (version 1.0 → 1.1)" in changes
    before = snapshot(out)
    same = publish(out, Q, OUTLINE, dataclasses.replace(new_template, package="0.2.0"), FakeRender())
    assert same.status == "up to date" and same.version == "1.1" and snapshot(out) == before
    # the code is recorded with the next real version
    built = publish(out, Q, EDITED, dataclasses.replace(new_template, package="0.2.0"), FakeRender())
    assert built.version == "1.2" and "  assemble 0.1.0 → 0.2.0" in built.summary


def test_reissue_starts_the_next_major_even_when_nothing_changed(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    publish(out, Q, EDITED, fingerprint(), FakeRender())
    built = publish(out, Q, EDITED, fingerprint(), FakeRender(), reissue=True)
    assert (built.status, built.version) == ("built", "2.0")
    assert built.summary[0] == "reissue: v2.0 supersedes v1.1"
    assert (out / f"quarterly-update-{Q}-v2.0.pdf").is_file()
    assert manifest(out)["versions"][-1]["reissue"] is True
    assert publish(out, Q, EDITED.replace("Grays", "Tilbury"), fingerprint(), FakeRender()).version == "2.1"


@pytest.mark.parametrize("fail_after", ["docx", "pdf"])
def test_a_failing_render_leaves_the_folder_exactly_as_it_was(out, fail_after):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    before = snapshot(out)
    with pytest.raises(RuntimeError, match="fell over"):
        publish(out, Q, EDITED, fingerprint(), FakeRender(fail_after=fail_after))
    assert snapshot(out) == before
    assert latest(out, Q) == "1.0"


def test_a_failing_first_build_leaves_nothing(out):
    with pytest.raises(RuntimeError):
        publish(out, Q, OUTLINE, fingerprint(), FakeRender(fail_after="pdf"))
    assert not out.exists()


def test_a_failing_manifest_write_takes_the_new_files_back_out(out, monkeypatch):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    before = snapshot(out)

    def broken(*_):
        raise OSError("disk full")

    monkeypatch.setattr(Store, "write_manifest", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(out, Q, EDITED, fingerprint(), FakeRender())
    assert snapshot(out) == before


def test_what_a_killed_build_left_is_swept_and_its_orphans_refused(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    (out / ".build-v1.1-xyz").mkdir()
    (out / ".build-v1.1-xyz" / "half.pdf").write_bytes(b"half")
    orphan = out / f"quarterly-update-{Q}-v1.1.pdf"
    orphan.write_bytes(b"someone's file")
    with pytest.raises(VersionError, match=re.escape("already exists but manifest.json does not record v1.1")):
        publish(out, Q, EDITED, fingerprint(), FakeRender())
    assert orphan.read_bytes() == b"someone's file"
    assert not (out / ".build-v1.1-xyz").exists()


def test_a_lost_manifest_is_refused_not_started_again(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    (out / "manifest.json").unlink()
    with pytest.raises(VersionError, match=re.escape("no manifest.json")):
        publish(out, Q, EDITED, fingerprint(), FakeRender())


def test_a_held_lock_refuses_a_second_build(out):
    out.mkdir(parents=True)
    with Store(out, Q).locked():
        before = snapshot(out)
        with pytest.raises(VersionError) as err:
            publish(out, Q, OUTLINE, fingerprint(), FakeRender())
        assert snapshot(out) == before
    msg = str(err.value)
    assert msg.startswith(f"another build of {Q} is running (pid {os.getpid()} on ")
    assert "wait for it" in msg and ".lock" in msg and "\n" not in msg
    assert publish(out, Q, OUTLINE, fingerprint(), FakeRender()).status == "built"


def test_a_lock_held_by_another_process_refuses(out):
    out.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import os, sys, filelock\n"
         f"lock = filelock.FileLock({str(out / LOCK)!r})\n"
         "lock.acquire()\n"
         f"open({str(out / HOLDER)!r}, 'w').write(f'pid {{os.getpid()}} on elsewhere')\n"
         "print('held', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    stdin, stdout = there(holder.stdin), there(holder.stdout)  # both piped
    try:
        assert stdout.readline().strip() == "held"
        running = rf"another build of {Q} is running \(pid {holder.pid} on elsewhere\)"
        with pytest.raises(VersionError, match=running):
            publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    finally:
        stdin.close()
        holder.wait(timeout=10)
        stdout.close()
    assert publish(out, Q, OUTLINE, fingerprint(), FakeRender()).status == "built"


def test_a_stale_lock_from_a_dead_process_is_taken_over(out):
    out.mkdir(parents=True)
    (out / LOCK).write_text("")
    (out / HOLDER).write_text("pid 999999 on this-host\n")
    assert publish(out, Q, OUTLINE, fingerprint(), FakeRender()).version == "1.0"
    assert not (out / HOLDER).exists()  # the lock file itself stays (filelock keeps it: changed on purpose)


def test_release_places_the_leadership_files_and_records_who_and_when(out, monkeypatch):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    publish(out, Q, EDITED, fingerprint(), FakeRender())
    drafts = snapshot(out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1602000000")
    final = FakeRender(draft=False)
    placed = release(out, Q, "A. Analyst", final)
    name = "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1"
    assert placed == {kind: out / f"{name}.{kind}" for kind in ("pdf", "docx", "html")}
    assert final.calls == ["1.1"]
    for kind, path in placed.items():
        assert path.read_bytes() == f"{kind} of v1.1".encode()  # no DRAFT mark
    entry = manifest(out)["versions"][-1]
    digest = {kind: hashlib.sha256(f"{kind} of v1.1".encode()).hexdigest() for kind in placed}
    assert entry["released"] == {
        "by": "A. Analyst",
        "at": "2020-10-06T16:00:00+00:00",
        "file": f"{name}.pdf",
        "sha256": digest["pdf"],
        "files": {kind: {"file": f"{name}.{kind}", "sha256": digest[kind]} for kind in ("docx", "html", "pdf")},
        "warnings": [],
        "engine": None,  # FakeRender reports none
    }
    assert manifest(out)["versions"][0]["released"] is None
    after = snapshot(out)
    del drafts["manifest.json"]
    assert {k: after[k] for k in drafts} == drafts
    assert set(after) - set(drafts) == {p.name for p in placed.values()} | {"manifest.json"}

    with pytest.raises(VersionError, match=re.escape("v1.1 was already released by A. Analyst")):
        release(out, Q, "B. Other", FakeRender(draft=False))
    assert snapshot(out) == after

    # the same returns again: a released version is history, not rebuilt
    assert publish(out, Q, OUTLINE, fingerprint(), FakeRender()).status == "up to date"
    assert snapshot(out) == after
    # returns that changed make a newer version, a draft that supersedes it; the released files stay
    resent = fingerprint(inputs={"north.docx": "f" * 64, "fcr.xlsx": "b" * 64})
    newer = publish(out, Q, OUTLINE, resent, FakeRender())
    assert newer.version == "1.2" and newer.summary[0].startswith(
        "v1.2 is a draft that supersedes v1.1, released to leadership by A. Analyst")
    second = release(out, Q, "B. Other", FakeRender(draft=False))
    assert second["pdf"].name == "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.2.pdf"
    assert placed["pdf"].read_bytes() == b"pdf of v1.1"


def test_release_refuses_content_that_was_never_built(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    before = snapshot(out)
    with pytest.raises(VersionError, match=re.escape("changed since v1.0 was built")):
        release(out, Q, "A. Analyst", FakeRender(draft=False), content=content_hash(EDITED, fingerprint()))
    assert snapshot(out) == before
    release(out, Q, "A. Analyst", FakeRender(draft=False), content=content_hash(OUTLINE, fingerprint()))


def test_release_refusals(out):
    with pytest.raises(VersionError, match="no builds"):
        release(out, Q, "A. Analyst", FakeRender(draft=False))
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    with pytest.raises(VersionError, match="who"):
        release(out, Q, "  ", FakeRender(draft=False))
    taken = out / "Police and Crime Plan Quarterly Update 2020-21 Q2 v1.0.docx"  # any one of its files
    taken.write_bytes(b"already here")
    with pytest.raises(VersionError, match="already exists"):
        release(out, Q, "A. Analyst", FakeRender(draft=False))
    assert taken.read_bytes() == b"already here"
    assert manifest(out)["versions"][0]["released"] is None


def test_a_failing_release_render_changes_nothing(out):
    publish(out, Q, OUTLINE, fingerprint(), FakeRender())
    before = snapshot(out)
    with pytest.raises(RuntimeError):
        release(out, Q, "A. Analyst", FakeRender(draft=False, fail_after="pdf"))
    assert snapshot(out) == before


def test_the_pdf_engine_is_recorded_with_each_version_and_release_but_is_not_content(out):
    """What no lock can pin but the PDF's bytes depend on is kept with the version that was
    rendered with it, and with its release; a new Pango alone makes no new version."""
    old = EngineRecord("1.50.12", "6.0.0", "2.14.1", {"Droid Sans Fallback": "Version 1.00c"})
    new = EngineRecord("1.52.1", "8.3.0", "2.15.0", {})
    publish(out, Q, OUTLINE, fingerprint(), FakeRender(engine=old))
    assert publish(out, Q, OUTLINE, fingerprint(), FakeRender(engine=new)).status == "up to date"
    (first,) = manifest(out)["versions"]
    assert first["engine"] == {"pango": "1.50.12", "harfbuzz": "6.0.0", "fontconfig": "2.14.1",
                               "fonts": {"Droid Sans Fallback": "Version 1.00c"}}
    publish(out, Q, EDITED, fingerprint(), FakeRender(engine=new))
    release(out, Q, "A. Analyst", FakeRender(draft=False, engine=old))
    second = manifest(out)["versions"][-1]
    assert second["engine"]["pango"] == "1.52.1" and second["released"]["engine"]["pango"] == "1.50.12"
