"""The same update twice.

Two updates whose text is near-identical (rapidfuzz ``fuzz.ratio`` of 90 or
more, case and spacing ignored, eight words or more) in one file or across files;
the warning stands at the second and names both places. Updates a newer
file of the same area superseded are not compared (the supersession warning
says what happened to them). Only updates that
share at least half of their runs of three words are compared (found
through an index, so the check stays linear in the number of updates).

The index holds only each update's rarest runs, just over half of them (prefix
filtering): when two updates share half the runs of the larger one, the rarest
run they share is among the rarest just-over-half of each, so no pair is
missed, and a run common to thousands of updates ("as part of the") is rarely
indexed at all.
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import fuzz

from ..assembly import Assembly
from ..errors import Problem, warning
from ..text import excerpt
from .entries import Entry, entries

NEAR_IDENTICAL = 90  # fuzz.ratio (0-100) from which two updates are the same update


def check(assembly: Assembly) -> list[Problem]:
    """Near-identical updates, in one file or across files; the warning stands at the later copy."""
    superseded = {(lo.file, lo.commitment) for lo in assembly.merged.left_out if lo.superseded}
    kept = [e for e in entries(assembly.submissions)
            if (e.submission.file, e.contribution.commitment) not in superseded]
    found = _duplicates(kept)
    return [p for i in sorted(found) for p in found[i]]


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _duplicates(entries: list[Entry]) -> dict[int, list[Problem]]:
    """Near-identical updates; the warning stands at the later one.

    Only updates that share at least half of their runs of three words (the
    larger one's) are compared letter by letter; an index of their rarest runs
    finds them, so the cost grows with the number of updates, not with its square."""
    texts = [(e, _normal(e.update.text)) for e in entries]
    texts = [(e, t) for e, t in texts if len(t.split()) >= 8]
    runs = [_word_runs(t) for _, t in texts]
    size = [len(t) for _, t in texts]
    frequency = Counter(run for held in runs for run in held)
    rarest = [sorted(held, key=lambda run: (frequency[run], run))[:_enough(len(held))] for held in runs]
    index: dict[str, list[int]] = {}
    found: dict[int, list[Problem]] = {}
    for j, (later, b) in enumerate(texts):
        candidates = {i for run in rarest[j] for i in index.get(run, ())}
        for run in rarest[j]:
            index.setdefault(run, []).append(j)
        for i in sorted(candidates):  # the cheapest tests first
            if min(size[i], size[j]) / max(size[i], size[j]) < 0.9:
                continue
            if 2 * len(runs[i] & runs[j]) < max(len(runs[i]), len(runs[j])):
                continue
            earlier, a = texts[i]
            if not fuzz.ratio(a, b, score_cutoff=NEAR_IDENTICAL):
                continue
            here, there = str(later.place), str(earlier.place)
            if here == there:
                there = f"{there} (commitment {earlier.contribution.commitment})"
                here = f"{here} (commitment {later.contribution.commitment})"
            found.setdefault(later.index, []).append(
                warning(
                    f"the same update is submitted twice, at {there} and at {here}: "
                    f"'{excerpt(later.update.text)}'",
                    later.place,
                    "keep one copy" + (" (the texts differ slightly)" if a != b else ""),
                )
            )
            break  # one warning per later copy: the first earlier one it repeats
    return found


def _enough(n: int) -> int:
    """How many of an update's n runs, the rarest, the index needs: any n - ceil(n / 2) + 1
    of them hold at least one of every ceil(n / 2) it shares with another update."""
    return n - (n + 1) // 2 + 1


def _word_runs(text: str) -> set[str]:
    """Every run of three words in a normalised text."""
    words = text.split()
    return {" ".join(words[k : k + 3]) for k in range(len(words) - 2)}
