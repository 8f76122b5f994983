"""Updates sent back unchanged from last quarter.

Contributors start from last quarter's return (``assemble templates`` pre-fills
it). Every update identical to one the same area gave in the previous quarter's
newest version, or differing from it only trivially (case, spacing, punctuation,
or a few letters, with the same figures), is a warning naming both places; a
summary counts them; a return whose bytes are those of one of last quarter's
returns is named as such. Updates a newer file of the same area superseded are
left to the supersession warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from ..assembly import Assembly, Earlier
from ..errors import Place, Problem, warning
from ..model import Item
from ..text import excerpt, normalise, plural
from .entries import entries

TRIVIAL = 95  # fuzz.ratio of two normalised texts with the same figures that makes them the same update
_FIGURES = re.compile(r"\d+")


@dataclass(frozen=True)
class _Said:
    """An update as last quarter's version has it."""

    text: str  # normalised
    figures: tuple[str, ...]
    where: str  # "commitment 2.1, North LPA › Colchester"


def check(assembly: Assembly) -> list[Problem]:
    earlier = assembly.earlier
    if earlier is None:
        return []
    out = _same_files(assembly, earlier)
    said = _said_by_area(earlier, {a.name: a.display for a in assembly.plan.areas})
    superseded = {(lo.file, lo.commitment) for lo in assembly.merged.left_out if lo.superseded}
    unchanged = total = 0
    for e in entries(assembly.submissions):
        area = e.submission.area
        if not e.update.text.strip() or (e.submission.file, e.contribution.commitment) in superseded:
            continue  # a label, or an update a newer file of its area replaced
        total += 1
        if area is None:
            continue
        found = _find(said.get(area, {}), e.update.text)
        if found is None:
            continue
        unchanged += 1
        out.append(warning(
            f"unchanged since {earlier.quarter} (its v{earlier.version}, {found.where}): '{excerpt(e.update.text)}'",
            e.place, "write this quarter's news, or delete it if there is none"))
    if unchanged:
        out.append(warning(f"{unchanged} of {plural(total, 'update')} are unchanged since {earlier.quarter}",
                           hint="the warnings above name each one"))
    return out


def _same_files(assembly: Assembly, earlier: Earlier) -> list[Problem]:
    sent_before = {digest: name for name, digest in earlier.inputs.items()}
    return [
        warning(f"is byte-identical to '{sent_before[digest]}', a return for {earlier.quarter}",
                Place(name), "ask for this quarter's return")
        for name, digest in assembly.hashes.items() if digest in sent_before
    ]


def _find(said: dict[str, list[_Said]], text: str) -> _Said | None:
    key = normalise(text)
    exact = said.get(key)
    if exact:
        return exact[0]
    figures = tuple(_FIGURES.findall(text))
    match = process.extractOne(key, list(said), scorer=fuzz.ratio, score_cutoff=TRIVIAL)
    if match is None:
        return None
    return next((s for s in said[match[0]] if s.figures == figures), None)


def _said_by_area(earlier: Earlier, shown_as: dict[str, str]) -> dict[str, dict[str, list[_Said]]]:
    """Area -> normalised text -> where last quarter's version says it."""
    out: dict[str, dict[str, list[_Said]]] = {}
    for p in earlier.priorities:
        for c in p.commitments:
            for block in c.blocks:
                if isinstance(block, Item) and block.area:
                    for text, labels in _texts(block, ()):
                        own = shown_as.get(block.area)
                        path = labels[1:] if labels and labels[0] == own else labels
                        where = f"commitment {c.id}" + (f", {' › '.join(path)}" if path else "")
                        said = _Said(normalise(text), tuple(_FIGURES.findall(text)), where)
                        out.setdefault(block.area, {}).setdefault(said.text, []).append(said)
    return out


def _texts(item: Item, above: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...]]]:
    path = above + ((item.label,) if item.label else ())
    if item.text.strip():
        yield item.text, path
    for child in item.children:
        yield from _texts(child, path)
