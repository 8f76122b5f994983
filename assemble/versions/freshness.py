"""Which quarters need building, judged by content, without reading a single return.

``make`` runs ``assemble all`` every time; this is how it stays quick when
nothing changed. A quarter is up to date when its returns (their bytes, by
SHA-256), the templates that shape its document and the code are exactly what
the last clean run of it saw (``.state.json`` beside its outputs): file times
are never trusted, so a return replaced by an older copy is still noticed. A
released quarter whose returns have not changed is history: it is never rebuilt
by ``make`` (``--reissue`` re-renders it deliberately).

Light on purpose: no reader, writer or console library is imported here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import folders
from ..errors import AssembleError
from ..intake import admitted
from ..plan.plans import Plans
from ..quarter import Quarter, QuarterError, parse_quarter
from . import MANIFEST, Manifest, Template, fingerprint

STATE = ".state.json"


@dataclass(frozen=True)
class Survey:
    """What one quarter folder needs."""

    quarter: Quarter
    folder: Path
    state: str  # "empty", "fresh", "released" (frozen history) or "stale"
    line: str = ""  # what to print for a quarter that is not built


def survey(quarter: Quarter, folder: Path, outputs: Path, plans: Plans, strict: bool) -> Survey:
    """Whether `folder` must be built, by content alone."""
    files = admitted(folder)
    if files == []:
        plan = plans.for_quarter(quarter)
        expected = ", ".join(a.name + (f" ({a.contact})" if a.contact else "") for a in plan.areas)
        return Survey(quarter, folder, "empty", f"{quarter.name}: waiting for returns; none has come in yet. "
                                               f"Expected from {len(plan.areas)} areas: {expected}")
    if files is None:
        return Survey(quarter, folder, "stale")
    out_dir = outputs / quarter.name
    manifest = _manifest(out_dir, quarter)
    newest = manifest.newest if manifest else None
    sent = fingerprint.inputs(files)
    if newest is not None and newest.released is not None and newest.fingerprint.inputs == sent:
        line = f"{quarter.name}: up to date, v{newest.version} released (its returns have not changed)"
        changed = changed_templates(newest.fingerprint.templates, fingerprint.templates_for(plans.for_quarter(quarter)))
        if changed:
            line += (f"; {', '.join(changed)} changed since: make REISSUE=1 QUARTER={quarter.name} "
                     "re-renders it")
        return Survey(quarter, folder, "released", line)
    state = _read_state(out_dir)
    if state is not None and newest is not None and state == _state(quarter, plans, sent, strict, newest.version):
        what = "released" if newest.released is not None else "draft"
        return Survey(quarter, folder, "fresh", f"{quarter.name}: up to date, v{newest.version} ({what})")
    return Survey(quarter, folder, "stale")


def changed_templates(before: dict[str, Template], now: dict[str, Template]) -> list[str]:
    """The templates that shape a quarter and are not what its newest version was made with."""
    def digest(found: dict[str, Template], name: str) -> str | None:
        template = found.get(name)
        return template.sha256 if template else None

    return sorted(n for n in set(before) | set(now) if digest(before, n) != digest(now, n))


def record(quarter: Quarter, folder: Path, outputs: Path, plans: Plans, strict: bool, version: str) -> None:
    """After a clean build or check of `folder` that left `version` newest: remember what it saw."""
    files = admitted(folder)
    out_dir = outputs / quarter.name
    if files is None or not out_dir.is_dir():
        forget(quarter, outputs)
        return
    text = json.dumps(_state(quarter, plans, fingerprint.inputs(files), strict, version), sort_keys=True) + "\n"
    if _read_text(out_dir / STATE) == text:
        return  # a run that changed nothing writes nothing
    tmp = out_dir / f"{STATE}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out_dir / STATE)


def forget(quarter: Quarter, outputs: Path) -> None:
    """A run that found problems: the next one must look again."""
    (outputs / quarter.name / STATE).unlink(missing_ok=True)


def _state(quarter: Quarter, plans: Plans, sent: dict[str, str], strict: bool, version: str) -> dict[str, object]:
    shaping = fingerprint.templates_for(plans.for_quarter(quarter))
    return {
        "inputs": sent,
        "templates": {name: t.sha256 for name, t in shaping.items()},
        "code": fingerprint.package(),
        "strict": strict,
        "version": version,
    }


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _read_state(out_dir: Path) -> dict[str, object] | None:
    try:
        data = json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _manifest(out_dir: Path, quarter: Quarter) -> Manifest | None:
    try:
        text = (out_dir / MANIFEST).read_text(encoding="utf-8")
        return Manifest.from_text(text, str(out_dir / MANIFEST))
    except (OSError, AssembleError):  # unreadable or not a manifest: a build will say so
        return None


def quick_all(inputs: Path, outputs: Path, plans: Plans, *, strict: bool, reissue: bool,
              only: str | None) -> list[str] | None:
    """What `make` prints when nothing needs building, found without loading a reader
    or the console; None when something does (or something is wrong, or something must be
    said: a file loose in the inputs folder, a quarter asked for that has no folder)."""
    if reissue or folders.loose(inputs):
        return None
    lines = []
    named = folders.quarter_folders(inputs)
    if only and only not in {f.name for f in named}:
        return None
    for folder in named:
        if only and folder.name != only:
            continue
        try:
            quarter = parse_quarter(folder.name)
        except QuarterError:
            return None
        found = survey(quarter, folder, outputs, plans, strict)
        if found.state == "stale":
            return None
        lines.append(found.line)
    return lines
