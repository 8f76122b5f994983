"""Numbered, kept versions of a quarter's update, and their release.

Everything for a quarter lives in `outputs/<quarter>/`:

    quarterly-update-2020-21-Q2-v1.0.docx / .pdf   the draft documents of v1.0
    quarterly-update-2020-21-Q2-v1.0.native         its outline: what later change logs compare
    changes-v1.1.md                                 what v1.1 changed since v1.0
    Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.pdf   the released PDF
    manifest.json                                   one record per version, oldest first

Rules kept here:

- Numbering. The first build is v1.0. A build whose *content* differs from the
  newest version's is the next minor version (1.1, 1.2 …); a build with the same
  content writes nothing ("up to date: v1.1"); a reissue starts the next major
  (2.0) even when nothing changed. *Content* is the outline plus each template's
  SHA-256 plus the package version. Input file hashes are recorded but do not
  count: a submission re-saved with the same words makes no new version. A code
  change that does not bump the package version is not seen either.
- Safety. Nothing published is ever overwritten or deleted. Files are rendered
  into a hidden `.build-*` folder inside the quarter folder, checked, then renamed
  in; manifest.json (rewritten atomically) is the commit point, and any failure
  before it removes what this build put there. A folder left by a killed build
  is removed by the next build or release of that quarter. A file of a version
  the manifest does not know is never touched: the build refuses instead.
- One at a time. Builds and releases of a quarter hold `.lock` (an OS lock, so a
  lock left by a dead process is taken over by itself; the file is removed again
  when done). A second one is refused with the holder's pid.
- Times in the manifest are UTC, to the second; SOURCE_DATE_EPOCH, when set, is
  used instead of the clock.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .changelog import ChangeLog, changes, summary_lines, to_markdown
from .quarter import QuarterError, parse_quarter

MANIFEST = "manifest.json"
LOCK = ".lock"
RELEASE_TITLE = "Police and Crime Plan Quarterly Update"
_BUILD_PREFIX = ".build-"
_EXTRA = ("native", "changes")  # manifest output kinds that are not rendered documents
_RESERVED = {"version", "built", "reissue", "content", "outputs", "released"}  # manifest keys of our own

Render = Callable[[str, Path], dict[str, Path]]


class VersionError(Exception):
    """A refusal; the message is one line the CLI prints as it is."""


@dataclass(frozen=True)
class Outcome:
    status: str  # "built" or "up to date"
    version: str  # "1.0"
    files: dict[str, Path]  # {"docx": ..., "pdf": ...} of that version
    changes: Path | None  # changes-v1.1.md when written
    summary: list[str]  # console lines


# --- names ----------------------------------------------------------------------


def stem(quarter: str, version: str) -> str:
    return f"quarterly-update-{quarter}-v{version}"


def release_name(quarter: str, version: str, title: str = RELEASE_TITLE) -> str:
    """'Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.pdf'."""
    try:
        q = parse_quarter(quarter)
    except QuarterError as exc:
        raise VersionError(str(exc)) from None
    return f"{title} {q.start_year}-{(q.start_year + 1) % 100:02d} Q{q.number} v{version}.pdf"


def _next(version: str | None, reissue: bool) -> str:
    if version is None:
        return "1.0"
    major, minor = (int(x) for x in version.split("."))
    return f"{major + 1}.0" if reissue else f"{major}.{minor + 1}"


# --- public API -----------------------------------------------------------------


def latest(out_dir: Path) -> str | None:
    """The newest version of the quarter in `out_dir`, or None before the first build."""
    versions = _read_manifest(Path(out_dir)).get("versions", [])
    return versions[-1]["version"] if versions else None


def content_hash(outline: str, fingerprint: dict) -> str:
    """What decides "changed": the outline, each template's hash and the package version."""
    templates = {
        name: (t.get("sha256") if isinstance(t, dict) else t)
        for name, t in (fingerprint.get("templates") or {}).items()
    }
    key = {
        "outline": outline.replace("\r\n", "\n"),
        "templates": templates,
        "package": fingerprint.get("package"),
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def stored_outline(out_dir: Path, version: str) -> str:
    """The outline a version was built from (for rendering its release, or comparing)."""
    entry = _entry(_read_manifest(Path(out_dir)), version)
    path = Path(out_dir) / entry["outputs"]["native"]["file"]
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VersionError(f"cannot read the outline of v{version}: {exc}") from None


def publish(
    out_dir: Path,
    quarter: str,
    outline: str,
    fingerprint: dict,
    render: Render,
    *,
    reissue: bool = False,
) -> Outcome:
    """Build the next version if the content changed (or on reissue); else say it is up to date."""
    out_dir = Path(out_dir)
    created = not out_dir.exists()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        with _locked(out_dir, quarter):
            _sweep(out_dir)
            manifest = _read_manifest(out_dir, quarter)
            versions = manifest["versions"]
            newest = versions[-1] if versions else None
            content = content_hash(outline, fingerprint)
            built = _now()

            if newest and not reissue and newest.get("content") == content:
                files = _files_of(out_dir, newest)
                missing = [p.name for p in files.values() if not p.exists()]
                if missing:
                    raise VersionError(
                        f"v{newest['version']} of {quarter} is up to date but {', '.join(missing)} "
                        "is missing; restore it, or build with --reissue"
                    )
                v = newest["version"]
                return Outcome("up to date", v, files, None, [f"up to date: v{v}"])

            version = _next(newest["version"] if newest else None, reissue)
            base = stem(quarter, version)
            changes_name = f"changes-v{version}.md" if newest else None
            _refuse_existing(out_dir, quarter, version, [f"{base}.native"] + ([changes_name] if changes_name else []))

            tmp = Path(tempfile.mkdtemp(prefix=f"{_BUILD_PREFIX}v{version}-", dir=out_dir))
            try:
                rendered = _check_rendered(render(version, tmp), tmp)
                targets = {kind: f"{base}.{kind}" for kind in rendered}
                _refuse_existing(out_dir, quarter, version, list(targets.values()))

                staged = dict(rendered)
                staged["native"] = tmp / f"{base}.native"
                staged["native"].write_text(outline, encoding="utf-8", newline="\n")
                targets["native"] = f"{base}.native"

                summary: list[str]
                if newest:
                    log = _changelog(out_dir, newest, outline, fingerprint)
                    staged["changes"] = tmp / changes_name
                    staged["changes"].write_text(
                        to_markdown(log, newest["version"], version), encoding="utf-8", newline="\n"
                    )
                    targets["changes"] = changes_name
                    summary = summary_lines(log, since=newest["version"])
                else:
                    summary = [f"first version of {quarter}"]
                if reissue and newest:
                    summary.insert(0, f"reissue: v{version} supersedes v{newest['version']}")

                outputs = {kind: {"file": targets[kind], "sha256": _sha256(path)} for kind, path in staged.items()}
                for path in staged.values():
                    _fsync(path)
                for kind, path in staged.items():
                    dest = out_dir / targets[kind]
                    if dest.exists():  # checked above; only this locked build writes here
                        raise VersionError(f"{dest.name} already exists; not replacing it")
                    os.replace(path, dest)
                    written.append(dest)
                _fsync_dir(out_dir)

                record = {
                    "version": version,
                    "built": built,
                    "reissue": reissue,
                    "content": content,
                    **{k: v for k, v in fingerprint.items() if k not in _RESERVED},
                    "outputs": outputs,
                    "released": None,
                }
                manifest["versions"].append(record)
                _write_manifest(out_dir, manifest)
                written.clear()  # committed
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        for path in written:  # not yet in the manifest: never published
            path.unlink(missing_ok=True)
        if created:
            _remove_if_empty(out_dir)
        raise

    files = {kind: out_dir / targets[kind] for kind in rendered}
    changes_path = out_dir / changes_name if changes_name else None
    return Outcome("built", version, files, changes_path, summary)


def release(
    out_dir: Path,
    quarter: str,
    who: str,
    render: Render,
    *,
    title: str = RELEASE_TITLE,
    content: str | None = None,
) -> Path:
    """Mark the newest version as sent to leadership and place its PDF under the leadership name.

    `render(version, tmpdir)` must write the final (non-draft) PDF of that version and
    return {"pdf": path, ...}. When `content` (see `content_hash`) is given it must be
    the newest version's: release refuses to send something that was never built.
    """
    out_dir = Path(out_dir)
    who = " ".join(who.split())
    if not who:
        raise VersionError("say who is releasing it (a name)")
    if not out_dir.is_dir():
        raise VersionError(f"{out_dir} has no builds of {quarter}; run assemble build first")
    written: list[Path] = []
    try:
        with _locked(out_dir, quarter):
            _sweep(out_dir)
            manifest = _read_manifest(out_dir, quarter)
            if not manifest["versions"]:
                raise VersionError(f"{out_dir} has no builds of {quarter}; run assemble build first")
            entry = manifest["versions"][-1]
            version = entry["version"]
            if entry.get("released"):
                r = entry["released"]
                raise VersionError(
                    f"v{version} of {quarter} was already released by {r['by']} at {r['at']}; "
                    "a released version is not replaced: build a new version to supersede it"
                )
            if content is not None and content != entry.get("content"):
                raise VersionError(
                    f"the content has changed since v{version} was built; run assemble build "
                    "(it makes the next version), then release that"
                )
            name = release_name(quarter, version, title)
            when = _now()
            dest = out_dir / name
            if dest.exists():
                raise VersionError(f"{name} already exists; not replacing it")

            tmp = Path(tempfile.mkdtemp(prefix=f"{_BUILD_PREFIX}release-v{version}-", dir=out_dir))
            try:
                rendered = _check_rendered(render(version, tmp), tmp)
                if "pdf" not in rendered:
                    raise VersionError("the release render made no PDF")
                pdf = rendered["pdf"]
                _fsync(pdf)
                digest = _sha256(pdf)
                os.replace(pdf, dest)
                written.append(dest)
                _fsync_dir(out_dir)
                entry["released"] = {"by": who, "at": when, "file": name, "sha256": digest}
                _write_manifest(out_dir, manifest)
                written.clear()
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return dest


# --- the pieces -------------------------------------------------------------------


def _changelog(out_dir: Path, newest: dict, outline: str, fingerprint: dict) -> ChangeLog:
    native = newest.get("outputs", {}).get("native", {}).get("file")
    try:
        old = (out_dir / native).read_text(encoding="utf-8") if native else None
    except OSError:
        old = None
    if old is None:
        log = ChangeLog(notes=(f"the outline of v{newest['version']} is missing, so its updates cannot be compared",))
    else:
        log = changes(old, outline)
    notes = list(log.notes)
    before = newest.get("templates") or {}
    after = fingerprint.get("templates") or {}
    for name in sorted(set(before) | set(after)):
        b, a = before.get(name), after.get(name)
        if b is None:
            notes.append(f"template {name} added")
        elif a is None:
            notes.append(f"template {name} no longer used")
        elif _hash_of(b) != _hash_of(a):
            vb, va = _version_of(b), _version_of(a)
            notes.append(f"template {name} changed" + (f" (version {vb} → {va})" if vb != va else ""))
    if newest.get("package") != fingerprint.get("package"):
        notes.append(f"assemble {newest.get('package')} → {fingerprint.get('package')}")
    return dataclasses.replace(log, notes=tuple(notes))


def _hash_of(t) -> str | None:
    return t.get("sha256") if isinstance(t, dict) else t


def _version_of(t) -> str | None:
    return t.get("version") if isinstance(t, dict) else None


def _check_rendered(files, tmp: Path) -> dict[str, Path]:
    if not isinstance(files, dict) or not files:
        raise VersionError("render returned no files")
    out = {}
    for kind, path in files.items():
        path = Path(path)
        if kind in _EXTRA or not re.fullmatch(r"[a-z0-9]+", kind):
            raise VersionError(f"render returned a file of kind {kind!r}")
        if not path.is_file():
            raise VersionError(f"render did not write {path.name}")
        if path.resolve().parent != tmp.resolve():
            raise VersionError(f"render wrote {path} outside its folder {tmp}")
        out[kind] = path
    return out


def _refuse_existing(out_dir: Path, quarter: str, version: str, names: list[str]) -> None:
    for name in names:
        if (out_dir / name).exists():
            raise VersionError(
                f"{name} already exists but manifest.json does not record v{version} of {quarter} "
                "(an interrupted build, or a lost manifest); move it aside and build again"
            )


def _files_of(out_dir: Path, entry: dict) -> dict[str, Path]:
    return {k: out_dir / v["file"] for k, v in entry.get("outputs", {}).items() if k not in _EXTRA}


def _entry(manifest: dict, version: str) -> dict:
    for entry in manifest.get("versions", []):
        if entry["version"] == version:
            return entry
    raise VersionError(f"there is no v{version}")


def _read_manifest(out_dir: Path, quarter: str | None = None) -> dict:
    path = out_dir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if quarter and any(out_dir.glob(f"{stem(quarter, '*')}.*")):
            raise VersionError(
                f"{out_dir} holds versions of {quarter} but no {MANIFEST}; restore it before building"
            ) from None
        return {"quarter": quarter, "versions": []}
    except (OSError, ValueError) as exc:
        raise VersionError(f"cannot read {path}: {exc}; restore it before building") from None
    if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
        raise VersionError(f"{path} is not a manifest of versions; restore it before building")
    if quarter and data.get("quarter") not in (None, quarter):
        raise VersionError(f"{path} is the manifest of {data.get('quarter')}, not {quarter}")
    return data


def _write_manifest(out_dir: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    path = out_dir / MANIFEST
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp would make it 0600
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            if hasattr(os, "fchmod"):
                os.fchmod(f.fileno(), mode)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(out_dir)


def _sweep(out_dir: Path) -> None:
    """Remove what a killed build left: its hidden folder and manifest temp file (never published)."""
    for path in out_dir.glob(f"{_BUILD_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
    for path in out_dir.glob(".manifest-*.tmp"):
        path.unlink(missing_ok=True)


def _remove_if_empty(out_dir: Path) -> None:
    try:
        out_dir.rmdir()
    except OSError:
        pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "r+b") as f:  # Windows flushes only handles open for writing
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _now() -> str:
    sde = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if sde:
        try:
            moment = datetime.fromtimestamp(int(sde), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise VersionError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970, not {sde!r}") from None
    else:
        moment = datetime.now(timezone.utc)
    return moment.replace(microsecond=0).isoformat()


# --- the lock -----------------------------------------------------------------------


@contextmanager
def _locked(out_dir: Path, quarter: str) -> Iterator[None]:
    """Hold `out_dir/.lock` for one build or release; refuse if another process holds it.

    An OS lock on the open file (flock; msvcrt on Windows): it goes when its process
    does, so a lock file left by a dead process is simply taken over.
    """
    path = out_dir / LOCK
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd):
                holder = _holder(fd)
                raise VersionError(
                    f"another build of {quarter} is running ({holder}); wait for it, or remove "
                    f"{path} if no build is running"
                )
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same:  # not a file its last holder removed while we waited
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode())
        yield
    finally:
        if os.name == "posix":
            Path(path).unlink(missing_ok=True)  # while still holding it
            os.close(fd)
        else:
            os.close(fd)
            try:
                Path(path).unlink()
            except OSError:
                pass  # another process has it open


def _holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode(errors="replace").strip()
    except OSError:
        text = ""
    return text or "pid unknown"


try:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

except ImportError:  # Windows
    import msvcrt

    _REGION = 1 << 20  # lock a byte past the text, so the holder's pid stays readable

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _REGION, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
        return True
