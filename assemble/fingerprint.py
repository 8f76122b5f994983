"""What a build is made from, for the manifest and for deciding whether anything
changed: the input files' hashes, each template's declared version and hash, and
the code's own hash."""

from __future__ import annotations

import hashlib
import tomllib
from functools import cache
from pathlib import Path

from . import __version__
from .model import Assembly
from .versions import Fingerprint, Template

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE.parent / "templates"
VERSIONS = "versions.toml"


def fingerprint(assembly: Assembly) -> Fingerprint:
    return Fingerprint(
        inputs={p.name: sha256(p) for p in assembly.inputs},
        templates=templates(),
        package=package(),
        counts={"read": assembly.read, "placed": assembly.placed, "left_out": assembly.left_out},
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def template_versions(folder: Path = TEMPLATES) -> dict[str, str]:
    return {k: str(v) for k, v in tomllib.loads((folder / VERSIONS).read_text(encoding="utf-8")).items()}


def templates(folder: Path = TEMPLATES) -> dict[str, Template]:
    """Every file under templates/ with its declared version and its hash."""
    versions = template_versions(folder)
    return {
        name: Template(versions.get(name), sha256(folder / name))
        for name in sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        if name != VERSIONS
    }


@cache
def package() -> str:
    """The package version with a hash of its code: a code change is a change."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
