"""What a build is made from, for the manifest and for deciding whether anything
changed: the input files' hashes, the templates that shape the quarter's document
(its plan file, the layout templates, the fonts) with their versions and hashes,
and the code's own hash.

Light on purpose: ``freshness`` uses it on every ``make`` without loading a reader
or a writer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import PACKAGE, PLANS, TEMPLATES, __version__, layouts
from . import Fingerprint, Sent, Template

if TYPE_CHECKING:  # not loaded on a no-op make
    from ..assembly import Assembly
    from ..plan import Plan



def fingerprint(assembly: Assembly) -> Fingerprint:
    shaping = templates_for(assembly.plan)
    return Fingerprint(
        inputs=assembly.hashes or inputs(assembly.inputs),
        templates=shaping,
        package=package(),
        counts={"read": assembly.read, "placed": assembly.placed, "left_out": assembly.left_out},
        plan=Template(assembly.plan.version, assembly.plan.sha256),
        plan_file=assembly.plan.file,
        sent=tuple(Sent(f.file, f.area, f.format, f.updates, f.sender, f.sent) for f in assembly.files if f.read),
    )


def inputs(paths: Iterable[Path]) -> dict[str, str]:
    return {p.name: sha256(p) for p in paths}


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a megabyte at a time: the one way a file is hashed."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def template(path: Path) -> Template:
    """A template's version, by the build itself: the first eight hex digits of its hash.
    Editing a template gives it a new version; nobody has to record one."""
    digest = sha256(path)
    return Template(digest[:8], digest)


def templates(folder: Path = TEMPLATES) -> dict[str, Template]:
    """Every file under templates/ with its version and its hash."""
    return {name: template(folder / name) for name in _names(folder)}


def plan_template(plan: Plan) -> str:
    """The name under templates/ of a plan's file."""
    return f"{PLANS.name}/{plan.file}"


def templates_for(plan: Plan, folder: Path = TEMPLATES) -> dict[str, Template]:
    """The templates that shape a quarter's document: the layout templates and
    fonts, and its own plan's file, never another plan's."""
    layout = {path.relative_to(folder).as_posix(): template(path) for path in layouts(folder)}
    return {**layout, plan_template(plan): Template(plan.sha256[:8], plan.sha256)}


def _names(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@cache
def package() -> str:
    """The package version with a hash of its code: recorded in the manifest."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
