"""Publish a quarter's next version, or say it is up to date; release one to leadership.

Rules (numbering and names in ``versions``, safe writing in ``store``):

- A build whose content (see ``versions.content_hash``: what a reader sees) is the
  newest version's writes nothing: "up to date: v1.1". Otherwise it renders the
  next version into a staging folder, adds the outline (``.native``) and, from the
  second version on, the change log, moves them in and records them in the
  manifest. A reissue makes the next major version even when nothing changed.
- A released version whose returns have not changed is history: no build makes
  a version after it (not a new plan, template or release of assemble) unless it
  is a reissue. When its returns do change, the next version is a draft that
  supersedes the release, and the summary says so.
- Nothing published is ever overwritten or deleted; a file of a version the
  manifest does not know is refused, never touched.
- A release renders the newest version without its DRAFT mark, PDF, Word file and
  HTML edition, under the name leadership sees, and records who, when, each
  file's hash and the PDF engine it was rendered with.
- What no lock can pin but the PDF's bytes depend on (``model.EngineRecord``: Pango,
  HarfBuzz, fontconfig, the fonts the system gave) is recorded with each version and
  release, as the render reports it; it is never content. A released version is never released again: a newer version
  supersedes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..clock import now
from ..errors import VersionError
from ..kept import EngineRecord, Flag
from . import (
    RELEASE_TITLE,
    Fingerprint,
    Output,
    Release,
    Version,
    changes_name,
    content_hash,
    next_version,
    release_name,
    stem,
)
from .changelog import ChangeLog, changes, summary_lines, to_markdown
from .fingerprint import sha256
from .store import Store


@dataclass(frozen=True)
class Rendered:
    """What rendering a version wrote: each document by kind ({"pdf": path, "docx": path,
    "html": path}), and what no lock can pin but the PDF's bytes depend on (recorded in the
    manifest, never content)."""

    files: dict[str, Path]
    engine: EngineRecord | None = None


Render = Callable[[str, Path], Rendered]  # (version, folder) -> what it wrote there


@dataclass(frozen=True)
class Outcome:
    status: str  # "built" or "up to date"
    version: str  # "1.0"
    files: dict[str, Path]  # {"docx": ..., "pdf": ...} of that version
    changes: Path | None  # changes-v1.1.md when written
    summary: list[str]  # console lines
    released: bool = False  # that version has been released to leadership


class AlreadyReleased(VersionError):
    """The newest version was released already: said, but nothing to do (exit 0)."""

    exit_status = 0


def latest(out_dir: Path, quarter: str) -> str | None:
    """The newest version of the quarter in `out_dir`, or None before the first build."""
    newest = Store(out_dir, quarter).manifest().newest if Path(out_dir).is_dir() else None
    return newest.version if newest else None


def stored_outline(out_dir: Path, quarter: str, version: str) -> str:
    """The outline a version was built from (for rendering its release, or comparing)."""
    entry = Store(out_dir, quarter).manifest().get(version)
    path = Path(out_dir) / entry.outputs["native"].file
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VersionError(f"cannot read the outline of v{version}: {exc.strerror or exc}") from None


def publish(out_dir: Path, quarter: str, outline: str, fingerprint: Fingerprint, render: Render, *,
            reissue: bool = False, warnings: tuple[str, ...] = (), flags: tuple[Flag, ...] = ()) -> Outcome:
    """Build the next version if the content changed (or on reissue); else say it is up to date.
    `warnings`, the build's as printed, and `flags`, its checks' warnings about single updates,
    are kept with a new version."""
    store = Store(out_dir, quarter)
    created = not store.folder.exists()
    try:
        with store.locked():
            store.sweep()
            return _publish(store, outline, fingerprint, render, reissue, warnings, flags)
    except BaseException:
        if created:
            _remove_if_unused(store.folder)
        raise


def pending(out_dir: Path, quarter: str, outline: str, fingerprint: Fingerprint) -> Version | None:
    """The newest version when a build now would make a version after it (the test `publish`
    makes), else None: nothing to build."""
    if not Path(out_dir).is_dir():
        return None
    newest = Store(out_dir, quarter).manifest().newest
    if newest is None or _unchanged(newest, content_hash(outline, fingerprint), fingerprint):
        return None
    return newest


def _unchanged(newest: Version, content: str, fingerprint: Fingerprint) -> bool:
    """Whether a build makes no version after `newest`: the same content, or a released
    version whose returns are the same bytes (history, not to be rebuilt)."""
    return newest.content == content or (newest.released is not None
                                         and newest.fingerprint.inputs == fingerprint.inputs)


def _publish(store: Store, outline: str, fingerprint: Fingerprint, render: Render, reissue: bool,
             warnings: tuple[str, ...], flags: tuple[Flag, ...]) -> Outcome:
    manifest = store.manifest()
    newest = manifest.newest
    content = content_hash(outline, fingerprint)
    if newest and not reissue and _unchanged(newest, content, fingerprint):
        return _up_to_date(store, newest)

    version = next_version(newest.version if newest else None, reissue)
    base = stem(store.quarter, version)
    log_name = changes_name(version) if newest else None
    store.refuse_existing([f"{base}.native"] + ([log_name] if log_name else []), version)
    built = now().isoformat()
    with store.staging(f"v{version}") as tmp:
        made = render(version, tmp)
        rendered = _check_rendered(made.files, tmp)
        targets = {kind: f"{base}.{kind}" for kind in rendered}
        store.refuse_existing(list(targets.values()), version)
        staged = dict(rendered)
        staged["native"] = tmp / f"{base}.native"
        staged["native"].write_text(outline, encoding="utf-8", newline="\n")
        targets["native"] = f"{base}.native"
        if newest and log_name:
            log = _changelog(store, newest, outline, fingerprint)
            staged["changes"] = tmp / log_name
            staged["changes"].write_text(to_markdown(log, newest.version, version), encoding="utf-8", newline="\n")
            targets["changes"] = log_name
            summary = summary_lines(log, since=newest.version)
        else:
            summary = [f"first version of {store.quarter}"]
        if reissue and newest:
            summary.insert(0, f"reissue: v{version} supersedes v{newest.version}")
        if newest and newest.released is not None:
            summary.insert(0, f"v{version} is a draft that supersedes v{newest.version}, released to leadership "
                              f"by {newest.released.by} at {newest.released.at}; release v{version} when it is "
                              "ready")
        outputs = {kind: Output(targets[kind], sha256(path)) for kind, path in staged.items()}
        with store.placing() as placer:
            for kind, path in staged.items():
                placer.place(path, targets[kind])
            manifest.versions.append(Version(version, built, reissue, content, fingerprint, outputs,
                                             warnings=warnings, engine=made.engine, flags=flags))
            store.write_manifest(manifest)
    files = {kind: store.folder / targets[kind] for kind in rendered}
    return Outcome("built", version, files, store.folder / log_name if log_name else None, summary)


def _up_to_date(store: Store, newest: Version) -> Outcome:
    files = {kind: store.folder / name for kind, name in newest.documents().items()}
    missing = [p.name for p in files.values() if not p.exists()]
    if missing:
        raise VersionError(f"v{newest.version} of {store.quarter} is up to date but {', '.join(missing)} "
                           "is missing", "restore it, or build with --reissue")
    said = f"up to date: v{newest.version}" + (" (released)" if newest.released else "")
    return Outcome("up to date", newest.version, files, None, [said], released=newest.released is not None)


def release(out_dir: Path, quarter: str, who: str, render: Render, *, title: str = RELEASE_TITLE,
            content: str | None = None, warnings: tuple[str, ...] = ()) -> dict[str, Path]:
    """Mark the newest version as sent to leadership and place its files under the leadership name.

    `render(version, folder)` must write the final (non-draft) documents of that version
    and return them ({"pdf": path, "docx": path, "html": path}, and the PDF engine's
    record, kept with the release); each is placed as
    'Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.pdf' (.docx, .html) and
    recorded. When `content` (see `content_hash`) is given it must be the newest
    version's: release refuses to send something never built. Returns kind -> path placed.
    """
    store = Store(out_dir, quarter)
    who = " ".join(who.split())
    if not who:
        raise VersionError("say who is releasing it (a name)")
    if not store.folder.is_dir():
        raise VersionError(f"{store.folder} has no builds of {quarter}", "run assemble build first")
    with store.locked():
        store.sweep()
        manifest = store.manifest()
        entry = manifest.newest
        if entry is None:
            raise VersionError(f"{store.folder} has no builds of {quarter}", "run assemble build first")
        if entry.released:
            r = entry.released
            raise AlreadyReleased(f"v{entry.version} was already released by {r.by} at {r.at}",
                                  "a released version is not released again: a new version supersedes it")
        if content is not None and content != entry.content:
            raise VersionError(f"the content has changed since v{entry.version} was built; run assemble build "
                               "(it makes the next version), then release that")
        pdf_name = release_name(quarter, entry.version, title)
        when = now().isoformat()
        with store.staging(f"release-v{entry.version}") as tmp:
            made = render(entry.version, tmp)
            rendered = _check_rendered(made.files, tmp)
            if "pdf" not in rendered:
                raise VersionError("the release render made no PDF")
            names = {kind: release_name(quarter, entry.version, title, kind) for kind in rendered}
            for name in names.values():
                if (store.folder / name).exists():
                    raise VersionError(f"{name} already exists; not replacing it")
            placed: dict[str, Path] = {}
            with store.placing() as placer:
                for kind in sorted(rendered, key=lambda k: (k != "pdf", k)):
                    placed[kind] = placer.place(rendered[kind], names[kind])
                files = {kind: Output(path.name, sha256(path)) for kind, path in placed.items()}
                entry.released = Release(who, when, pdf_name, files["pdf"].sha256, files, warnings, made.engine)
                store.write_manifest(manifest)
    return placed


# --- the pieces ---------------------------------------------------------------------


def _changelog(store: Store, newest: Version, outline: str, fingerprint: Fingerprint) -> ChangeLog:
    native = newest.outputs.get("native")
    try:
        old = (store.folder / native.file).read_text(encoding="utf-8") if native else None
    except OSError:
        old = None
    if old is None:
        log = ChangeLog(notes=(f"the outline of v{newest.version} is missing, so its updates cannot be compared",))
    else:
        log = changes(old, outline)
    notes = list(log.notes)
    before, after = newest.fingerprint.templates, fingerprint.templates
    for name in sorted(set(before) | set(after)):
        b, a = before.get(name), after.get(name)
        if b is None:
            notes.append(f"template {name} added")
        elif a is None:
            notes.append(f"template {name} no longer used")
        elif b.sha256 != a.sha256:
            notes.append(f"template {name} changed" + (f" (version {b.version} → {a.version})"
                                                       if b.version != a.version else ""))
    if newest.fingerprint.package != fingerprint.package:
        notes.append(f"assemble {newest.fingerprint.package} → {fingerprint.package}")
    return dataclasses.replace(log, notes=tuple(notes))


def _check_rendered(files: dict[str, Path], tmp: Path) -> dict[str, Path]:
    if not files:
        raise VersionError("render returned no files")
    out = {}
    for kind, given in files.items():
        path = Path(given)
        if kind in ("native", "changes") or not kind.isalnum() or not kind.islower():
            raise VersionError(f"render returned a file of kind {kind!r}")
        if not path.is_file():
            raise VersionError(f"render did not write {path.name}")
        if path.resolve().parent != tmp.resolve():
            raise VersionError(f"render wrote {path} outside its folder {tmp}")
        out[kind] = path
    return out


def _remove_if_unused(folder: Path) -> None:
    """A quarter folder this failed build created, with only its lock left in it, goes again."""
    try:
        for name in (".lock", ".lock.holder"):
            (folder / name).unlink(missing_ok=True)
        folder.rmdir()
    except OSError:
        pass
