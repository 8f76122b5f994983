"""What a version keeps beside its content: the PDF engine it was rendered with and the
flags its checks raised on single updates. Plain records the writers and the pipeline make
and the manifest stores (``versions``); light on purpose, so that a no-op ``make``, which
reads the manifest, loads no more than it must."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EngineRecord:
    """What no lock can pin but the PDF's bytes depend on: the versions of the text libraries
    the system gives the PDF engine, and each font the PDF drew with that the system gave
    (not bundled in templates/fonts), by family, with the font's own version string. The PDF
    writer makes it; the manifest keeps it, so that two machines that build different bytes
    can see why; it is never content."""

    pango: str = ""
    harfbuzz: str = ""
    fontconfig: str = ""
    fonts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Flag:
    """A check's warning about one update of a version (a misspelt place, figures that
    contradict their words), kept with the version in the manifest: next quarter's returns
    carry it, as a comment, on the line they carry over. An update is known by its area,
    commitment and words; a district's label standing alone over its updates, by its label."""

    commitment: str  # "2.1"
    area: str  # the plan's area name
    text: str  # the update's words ("" for a label standing alone)
    label: str | None  # its label, or the district it is under
    message: str  # the warning, as the console says it
    hint: str = ""
