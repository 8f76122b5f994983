"""Updates sent back unchanged from last quarter.

Contributors start from last quarter's return (``assemble templates`` pre-fills
it). Every update identical to one the same area gave in the previous quarter's
newest version, or differing from it only trivially (case, spacing, punctuation,
or a few letters, with the same figures), is a warning naming both places; more
than three in one file are one warning with their count, standing for each (its
details, which report.md lists); a summary counts them all. A return that is one
of those sent out for this quarter (``outbox``: the same bytes, or the same words
saved again), or whose bytes are those of one of last quarter's returns, is one
warning, "not filled in", naming it and standing for every other finding about its
updates (``fold``). Updates a newer file of the same area superseded are left to
the supersession warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from ..assembly import Assembly, Earlier, SentOut
from ..errors import Place, Problem, warning
from ..model import Item, Submission
from ..text import excerpt, normalise, plural
from ..versions import outbox
from .entries import entries

TRIVIAL = 95  # fuzz.ratio of two normalised texts with the same figures that makes them the same update
FOLD_OVER = 3  # more unchanged updates than this in one file are told as one warning with their count
NOT_FILLED_IN = "not filled in: "  # how a return sent back as it went out is told: it stands for its updates' findings
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
    said = _said_by_area(earlier, {a.name: a.display for a in assembly.plan.areas})
    superseded = {(lo.file, lo.commitment) for lo in assembly.merged.left_out if lo.superseded}
    by_file: dict[str, list[Problem]] = {}
    counted: set[str] = set()  # the files with an update that counts (not superseded)
    unchanged = total = 0
    for e in entries(assembly.submissions):
        area = e.submission.area
        if not e.update.text.strip() or (e.submission.file, e.contribution.commitment) in superseded:
            continue  # a label, or an update a newer file of its area replaced
        total += 1
        counted.add(e.submission.file)
        if area is None:
            continue
        found = _find(said.get(area, {}), e.update.text)
        if found is None:
            continue
        unchanged += 1
        by_file.setdefault(e.submission.file, []).append(warning(
            f"unchanged since {earlier.quarter} (its v{earlier.version}, {found.where}): '{excerpt(e.update.text)}'",
            e.place, "write this quarter's news, or delete it if there is none"))
    out = [replace(p, details=tuple(by_file.pop(p.place.file, ()))) if p.place else p
           for p in _not_filled_in(assembly, earlier, counted)]
    for file, each in by_file.items():
        if len(each) <= FOLD_OVER:
            out += each
            continue
        out.append(warning(f"{len(each)} updates are unchanged since {earlier.quarter} (its v{earlier.version}; "
                           "report.md lists each)", Place(file),
                           "write this quarter's news in each, or delete those with none", tuple(each)))
    if unchanged:
        out.append(warning(f"{unchanged} of {plural(total, 'update')} are unchanged since {earlier.quarter}",
                           hint="the warnings above, or report.md, name each one"))
    return out


def _not_filled_in(assembly: Assembly, earlier: Earlier, counted: set[str]) -> list[Problem]:
    """A warning per return that is one of last quarter's returns (its bytes), or one of
    the returns sent out for this quarter (its bytes, or its words saved again), unless
    a newer file of its area superseded all of it."""
    sent_before = {digest: name for name, digest in earlier.inputs.items()}
    out = [warning(f"{NOT_FILLED_IN}it is byte-identical to '{sent_before[digest]}', a return for "
                   f"{earlier.quarter}", Place(name), "ask for this quarter's return")
           for name, digest in assembly.hashes.items() if digest in sent_before]
    told = {p.place.file for p in out if p.place}
    for file, sent in _sent_back(assembly, earlier.sent_out).items():
        if file in counted and file not in told:
            out.append(warning(f"{NOT_FILLED_IN}it is the return sent out on {sent.sent[:10]}", Place(file),
                               f"ask {sent.area} for this quarter's return: each update carried over from "
                               f"{earlier.quarter} must be updated or deleted"))
    return out


def fold(problems: Sequence[Problem], position: Callable[[Problem], int]) -> list[Problem]:
    """A return not filled in stands for every other finding about its updates (their
    dates, figures, places …): they go into its details, in the order they stand."""
    heads = {p.place.file: p for p in problems if p.place and p.message.startswith(NOT_FILLED_IN)}
    if not heads:
        return list(problems)
    under: dict[str, list[Problem]] = {file: [] for file in heads}
    kept: list[Problem] = []
    for p in problems:
        file = p.place.file if p.place else None
        if file in heads and p is not heads[file]:
            under[file].append(p)
        else:
            kept.append(p)
    return [replace(p, details=tuple(sorted((*p.details, *under[p.place.file]), key=position)))
            if p.place and heads.get(p.place.file) is p else p for p in kept]


def _sent_back(assembly: Assembly, sent_out: tuple[SentOut, ...]) -> dict[str, SentOut]:
    """The files that are returns sent out for this quarter, as they went out: the same
    bytes, or the same updates (opened and saved again without a word changed)."""
    if not sent_out:
        return {}
    by_file: dict[str, list[Submission]] = {}
    for s in assembly.submissions:
        by_file.setdefault(s.file, []).append(s)
    out = {}
    for file, subs in by_file.items():
        digest, sha = outbox.content(subs), assembly.hashes.get(file)
        match = next((s for s in sent_out if (sha and s.sha256 == sha) or (s.updates and s.content == digest)),
                     None)
        if match is not None:
            out[file] = match
    return out


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
