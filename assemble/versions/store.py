"""A quarter's outputs folder as a store that never loses or half-writes a file.

- One at a time: builds and releases of a quarter hold ``.lock`` (the filelock
  package: an OS lock where the file system has one, so a lock left by a dead
  process is simply taken over, and a lock file of its own on shares without).
  ``.lock.holder`` says who holds it, for the message a second build gets.
- Staged: files are written into a hidden ``.build-*`` folder inside the quarter's
  folder, synced, then renamed into place; ``manifest.json``, rewritten atomically,
  is the commit point. Anything staged before a failure is taken out again, and
  a folder a killed build left is swept away by the next one.
- Never overwritten: a file already there is refused, not replaced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import filelock

from ..errors import VersionError, os_problem
from . import MANIFEST, Manifest, stem

LOCK = ".lock"
HOLDER = ".lock.holder"
_STAGING = ".build-"


class Store:
    """The folder of one quarter's versions."""

    def __init__(self, folder: Path, quarter: str):
        self.folder = Path(folder)
        self.quarter = quarter

    # --- the lock -------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the quarter's lock for one build or release; refuse if another holds it."""
        self.make_folder()
        lock = filelock.FileLock(str(self.folder / LOCK), timeout=0)
        holder = self.folder / HOLDER
        try:
            with warnings.catch_warnings():  # "falling back to SoftFileLock": expected on some shares
                warnings.simplefilter("ignore")
                lock.acquire()
        except filelock.Timeout:
            raise VersionError(
                f"another build of {self.quarter} is running ({self._holder()}); wait for it, or remove "
                f"{self.folder / LOCK} if no build is running") from None
        except OSError as exc:
            raise os_problem(exc, self.folder / LOCK, "lock") from None
        try:
            holder.write_text(f"pid {os.getpid()} on {socket.gethostname()}\n", encoding="utf-8")
            yield
        finally:
            holder.unlink(missing_ok=True)
            lock.release()

    def _holder(self) -> str:
        try:
            text = (self.folder / HOLDER).read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            text = ""
        return text[:200] or "pid unknown"

    def make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_problem(exc, self.folder, "create") from None

    # --- the manifest ----------------------------------------------------------------

    def manifest(self) -> Manifest:
        path = self.folder / MANIFEST
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            if any(self.folder.glob(f"{stem(self.quarter, '*')}.*")):
                raise VersionError(f"{self.folder} holds versions of {self.quarter} but no {MANIFEST}",
                                   "restore it before building") from None
            return Manifest(self.quarter)
        except OSError as exc:
            raise VersionError(f"cannot read {path}: {exc.strerror or exc}",
                               "restore it before building") from None
        manifest = Manifest.from_text(text, str(path))
        if manifest.quarter not in (None, self.quarter):
            raise VersionError(f"{path} is the manifest of {manifest.quarter}, not {self.quarter}")
        return manifest

    def write_manifest(self, manifest: Manifest) -> None:
        """Replace manifest.json whole: the commit point of a build or release."""
        self.write_atomic(MANIFEST, manifest.to_text().encode("utf-8"))

    def write_atomic(self, name: str, data: bytes) -> None:
        """Replace one file whole (a temporary file renamed over it), keeping its permissions."""
        path = self.folder / name
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp would make it 0600
        fd, tmp = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as f:
                if hasattr(os, "fchmod"):
                    os.fchmod(f.fileno(), mode)
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        fsync_dir(self.folder)

    # --- staging ------------------------------------------------------------------

    def sweep(self) -> None:
        """Remove what a killed build left: its hidden folder and temporary files (never published)."""
        for path in self.folder.glob(f"{_STAGING}*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
        for path in self.folder.glob(".*.tmp"):
            path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def staging(self, label: str) -> Iterator[Path]:
        """A hidden folder to render into; removed afterwards, whatever happens."""
        tmp = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{label}-", dir=self.folder))
        try:
            yield tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def refuse_existing(self, names: list[str], version: str) -> None:
        for name in names:
            if (self.folder / name).exists():
                raise VersionError(
                    f"{name} already exists but {MANIFEST} does not record v{version} of {self.quarter} "
                    "(an interrupted build, or a lost manifest)", "move it aside and build again")

    @contextlib.contextmanager
    def placing(self) -> Iterator[Placer]:
        """Move staged files into the folder; if the block fails, take them out again."""
        placer = Placer(self.folder)
        try:
            yield placer
        except BaseException:
            placer.take_back()
            raise


class Placer:
    """Files moved into a store during one commit, to take back if it fails."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.placed: list[Path] = []

    def place(self, staged: Path, name: str) -> Path:
        dest = self.folder / name
        if dest.exists():
            raise VersionError(f"{name} already exists; not replacing it")
        fsync(staged)
        os.replace(staged, dest)
        self.placed.append(dest)
        return dest

    def take_back(self) -> None:
        for path in self.placed:  # not yet in the manifest: never published
            path.unlink(missing_ok=True)
        self.placed.clear()


def fsync(path: Path) -> None:
    with open(path, "r+b") as f:  # Windows flushes only handles open for writing
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
