"""Versions of a quarter's update: their numbers, their names and the manifest
that records them. Pure: nothing here touches a file (``store`` does).

- Numbering. The first build is v1.0; a build whose content differs from the
  newest version's is the next minor version (1.1, 1.2 …); a reissue starts the
  next major (2.0) even when nothing changed.
- Names. ``quarterly-update-2020-21-Q2-v1.0.pdf`` (and ``.docx``, ``.html``) for the
  drafts, and ``Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.pdf`` (and
  ``.docx``, ``.html``) for what is released to leadership.
- The manifest (``manifest.json``) holds one ``Version`` per build, oldest first:
  when, from what (inputs, templates, code, and the PDF engine the system gave), its
  counts, its outputs with their hashes, its warnings (and, as ``model.Flag``, those
  about single updates, for next quarter's returns), and who released it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import VersionError
from ..kept import EngineRecord, Flag
from ..quarter import parse_quarter

MANIFEST = "manifest.json"
RELEASE_TITLE = "Police and Crime Plan Quarterly Update"
NOT_RENDERED = ("native", "changes")  # output kinds that are not documents


DRAFTS = "quarterly-update"  # how every draft's and preview's file name starts


def stem(quarter: str, version: str) -> str:
    """'quarterly-update-2020-21-Q2-v1.0': a version's files, before their suffix."""
    return f"{DRAFTS}-{quarter}-v{version}"


def preview_stem(quarter: str) -> str:
    """'quarterly-update-2020-21-Q2-preview': a preview's files, before their suffix."""
    return f"{DRAFTS}-{quarter}-preview"


def changes_name(version: str) -> str:
    """'changes-v1.1.md': the change log a version after the first carries."""
    return f"changes-v{version}.md"


def release_name(quarter: str, version: str, title: str = RELEASE_TITLE, kind: str = "pdf") -> str:
    """'Police and Crime Plan Quarterly Update 2020-21 Q2 v1.1.pdf' (or .docx, .html: `kind`)."""
    q = parse_quarter(quarter)
    return f"{title} {q.start_year}-{(q.start_year + 1) % 100:02d} Q{q.number} v{version}.{kind}"


def next_version(newest: str | None, reissue: bool) -> str:
    if newest is None:
        return "1.0"
    major, minor = (int(x) for x in newest.split("."))
    return f"{major + 1}.0" if reissue else f"{major}.{minor + 1}"


# --- what a build is made from ------------------------------------------------------


@dataclass(frozen=True)
class Template:
    version: str | None
    sha256: str


@dataclass(frozen=True)
class Sent:
    """One return as a build read it: for the next quarter's pre-filled returns."""

    file: str
    area: str | None
    format: str  # "docx", "xlsx"
    updates: int
    sender: str = ""  # who sent the email it came attached to ("" for a file saved into the folder)
    sent: str = ""  # when that email was sent, ISO 8601


@dataclass(frozen=True)
class Fingerprint:
    """What a build is made from, as the manifest records it."""

    inputs: dict[str, str]  # file name -> sha256
    templates: dict[str, Template]  # the templates that shape this quarter's document -> version and hash
    package: str  # "0.1.0+<code hash>": recorded, but a code change alone makes no new version
    counts: dict[str, int] = field(default_factory=dict)  # read, placed, left_out
    plan: Template | None = None  # the plan file used: its version and hash (its name is in `templates`)
    plan_file: str = ""
    sent: tuple[Sent, ...] = ()


def _sent_json(s: Sent) -> dict[str, Any]:
    """A return read, as the manifest lists it; who sent it and when, for one that came by email."""
    out: dict[str, Any] = {"file": s.file, "area": s.area, "format": s.format, "updates": s.updates}
    if s.sender or s.sent:
        out |= {"sender": s.sender, "sent": s.sent}
    return out


def _engine_json(engine: EngineRecord | None) -> dict[str, Any] | None:
    if engine is None:
        return None
    return {"pango": engine.pango, "harfbuzz": engine.harfbuzz, "fontconfig": engine.fontconfig,
            "fonts": dict(engine.fonts)}


def _engine_from(data: Any) -> EngineRecord | None:
    """The engine record as a manifest holds it; None for a version built before there was one."""
    if not isinstance(data, dict):
        return None
    fonts = data.get("fonts")
    return EngineRecord(str(data.get("pango", "")), str(data.get("harfbuzz", "")), str(data.get("fontconfig", "")),
                        {str(k): str(v) for k, v in fonts.items()} if isinstance(fonts, dict) else {})


def _flag_json(flag: Flag) -> dict[str, Any]:
    return {"commitment": flag.commitment, "area": flag.area, "text": flag.text, "label": flag.label,
            "message": flag.message, "hint": flag.hint}


def _flag_from(data: Any) -> Flag | None:
    """A flag as a manifest holds it; None for one that is not (a manifest edited by hand)."""
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("commitment", "area", "message")):
        return None
    label = data.get("label")
    return Flag(data["commitment"], data["area"], str(data.get("text") or ""),
                label if isinstance(label, str) and label else None, data["message"], str(data.get("hint") or ""))


def content_hash(outline: str, fingerprint: Fingerprint) -> str:
    """What decides "changed": what a reader sees, the outline and the templates that shape it.

    The code and the input files' own bytes are recorded but do not count: a return
    re-saved with the same words, or a new release of assemble that renders the same
    content, makes no new version."""
    key = {
        "outline": outline.replace("\r\n", "\n"),
        "templates": {name: t.sha256 for name, t in fingerprint.templates.items()},
    }
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# --- the manifest ---------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    file: str
    sha256: str


@dataclass(frozen=True)
class Release:
    """Who released a version and when, and the files leadership received: `file` and
    `sha256` are the PDF's (as manifests before the Word file and HTML edition had them),
    `files` every kind's."""

    by: str
    at: str
    file: str
    sha256: str
    files: dict[str, Output] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # the warnings that still stood when it was released, as printed
    engine: EngineRecord | None = None  # the PDF engine the release was rendered with


@dataclass
class Version:
    """One build of a quarter, as the manifest records it."""

    version: str
    built: str
    reissue: bool
    content: str
    fingerprint: Fingerprint
    outputs: dict[str, Output]
    released: Release | None = None
    warnings: tuple[str, ...] = ()  # the build's warnings, as printed: kept with the version
    engine: EngineRecord | None = None  # the PDF engine it was rendered with (None: not recorded)
    flags: tuple[Flag, ...] = ()  # its checks' warnings about single updates, with the update each is about

    @property
    def is_released(self) -> bool:
        return self.released is not None

    def documents(self) -> dict[str, str]:
        """Kind -> file name of the rendered documents (not the outline or change log)."""
        return {k: o.file for k, o in self.outputs.items() if k not in NOT_RENDERED}

    def to_json(self) -> dict[str, Any]:
        fp = self.fingerprint
        return {
            "version": self.version,
            "built": self.built,
            "reissue": self.reissue,
            "content": self.content,
            "inputs": fp.inputs,
            "templates": {n: {"version": t.version, "sha256": t.sha256} for n, t in fp.templates.items()},
            "package": fp.package,
            "engine": _engine_json(self.engine),
            "counts": fp.counts,
            "plan": None if fp.plan is None else {"file": fp.plan_file, "version": fp.plan.version,
                                                  "sha256": fp.plan.sha256},
            "sent": [_sent_json(s) for s in fp.sent],
            "outputs": {k: {"file": o.file, "sha256": o.sha256} for k, o in self.outputs.items()},
            "warnings": list(self.warnings),
            "flags": [_flag_json(f) for f in self.flags],
            "released": None if self.released is None else {
                "by": self.released.by, "at": self.released.at,
                "file": self.released.file, "sha256": self.released.sha256,
                "files": {k: {"file": o.file, "sha256": o.sha256} for k, o in self.released.files.items()},
                "warnings": list(self.released.warnings),
                "engine": _engine_json(self.released.engine),
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Version:
        templates = {
            n: Template(t.get("version"), t["sha256"]) if isinstance(t, dict) else Template(None, str(t))
            for n, t in (data.get("templates") or {}).items()
        }
        released = data.get("released")
        plan = data.get("plan") or {}
        return cls(
            version=str(data["version"]),
            built=str(data.get("built", "")),
            reissue=bool(data.get("reissue", False)),
            content=str(data.get("content", "")),
            fingerprint=Fingerprint(
                inputs=dict(data.get("inputs") or {}),
                templates=templates,
                package=str(data.get("package", "")),
                counts=dict(data.get("counts") or {}),
                plan=Template(plan.get("version"), plan["sha256"]) if plan.get("sha256") else None,
                plan_file=str(plan.get("file", "")),
                sent=tuple(Sent(s["file"], s.get("area"), s.get("format", ""), int(s.get("updates", 0)),
                                str(s.get("sender", "")), str(s.get("sent", "")))
                           for s in data.get("sent") or ()),
            ),
            outputs={k: Output(o["file"], o.get("sha256", "")) for k, o in (data.get("outputs") or {}).items()},
            released=Release(released["by"], released["at"], released["file"], released.get("sha256", ""),
                             {k: Output(o["file"], o.get("sha256", ""))
                              for k, o in (released.get("files") or {}).items()},
                             tuple(str(w) for w in released.get("warnings") or ()),
                             _engine_from(released.get("engine")))
            if released else None,
            warnings=tuple(str(w) for w in data.get("warnings") or ()),
            engine=_engine_from(data.get("engine")),
            flags=tuple(f for f in map(_flag_from, data.get("flags") or ()) if f is not None),
        )


@dataclass
class Manifest:
    """Every version of one quarter, oldest first."""

    quarter: str | None
    versions: list[Version] = field(default_factory=list)

    @property
    def newest(self) -> Version | None:
        return self.versions[-1] if self.versions else None

    def get(self, version: str) -> Version:
        for v in self.versions:
            if v.version == version:
                return v
        raise VersionError(f"there is no v{version}")

    def to_text(self) -> str:
        data = {"quarter": self.quarter, "versions": [v.to_json() for v in self.versions]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_text(cls, text: str, where: str) -> Manifest:
        """Parse manifest.json; VersionError naming `where` when it is not one."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("versions"), list):
                raise ValueError("no list of versions")
            return cls(data.get("quarter"), [Version.from_json(v) for v in data["versions"]])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise VersionError(f"{where} is not a manifest of versions ({exc})",
                               "restore it before building") from None
