"""The speed-ups of a command-line run: applied by `assemble` (cli.run) only, and
the outputs the same bytes with them or without (ASSEMBLE_NO_SPEEDUPS=1)."""

from __future__ import annotations

import ctypes.util
import gc
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

from assemble.cli import main, speedups
from assemble.writers.pdf import PdfJobs

from .quarters import ROOT, SAMPLE, small_quarter


def _build(quarter: Path, outputs: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != speedups.ENV} | env
    return subprocess.run([sys.executable, "-m", "assemble", "build", str(quarter), "--outputs", str(outputs)],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False)


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.name.startswith("quarterly-update-")}


def test_the_same_bytes_with_and_without_the_speedups(tmp_path):
    quarter = small_quarter(tmp_path / "in")  # its body in three windows, as the sample's
    fast = _build(quarter, tmp_path / "fast")
    slow = _build(quarter, tmp_path / "slow", **{speedups.ENV: "1"})
    for run in (fast, slow):
        assert run.returncode == 0, run.stderr
        assert "built v1.0:" in run.stdout  # flushed before the quick exit
        assert "warning:" in run.stderr and "warning:" not in run.stdout
    a, b = _digests(tmp_path / "fast" / "2020-21-Q2"), _digests(tmp_path / "slow" / "2020-21-Q2")
    assert set(a) == {"quarterly-update-2020-21-Q2-v1.0.pdf", "quarterly-update-2020-21-Q2-v1.0.docx",
                      "quarterly-update-2020-21-Q2-v1.0.html", "quarterly-update-2020-21-Q2-v1.0.native"}
    assert a == b
    assert fast.stdout.replace("fast", "slow") == slow.stdout


def test_main_alone_applies_none_of_them(tmp_path):
    frozen = gc.get_freeze_count()
    find_library = ctypes.util.find_library
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(SAMPLE)], out=out, err=err) == 0
    assert gc.get_freeze_count() == frozen
    assert ctypes.util.find_library is find_library


def test_the_quick_library_lookup_is_put_back():
    find_library = ctypes.util.find_library
    with speedups._quick_library_lookup():
        found = ctypes.util.find_library("c")
    assert ctypes.util.find_library is find_library
    assert found is None or "libc" in found


def test_the_switch(monkeypatch):
    monkeypatch.delenv(speedups.ENV, raising=False)
    assert speedups.enabled()
    monkeypatch.setenv(speedups.ENV, "1")
    assert not speedups.enabled()
    frozen = gc.get_freeze_count()
    with speedups.prepare(render=True, once=True):  # does nothing when off
        assert PdfJobs.current().processes == 1 and PdfJobs.current()._worker is None
    assert gc.get_freeze_count() == frozen
