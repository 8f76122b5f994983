"""The same update twice.

Two updates whose text is near-identical (rapidfuzz ``fuzz.ratio`` of 90 or
more, case and spacing ignored, eight words or more) in one file or across files;
the warning stands at the second and names both places. Updates a newer
file of the same area superseded are not compared (the supersession warning
says what happened to them). Only updates that
share at least half of their runs of three words are compared (found
through an index, so the check stays linear in the number of updates).
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
    larger one's) are compared letter by letter; an index of the runs finds
    them, so the cost grows with the number of updates, not with its square."""
    texts = [(e, _normal(e.update.text)) for e in entries]
    texts = [(e, t) for e, t in texts if len(t.split()) >= 8]
    runs = [_word_runs(t) for _, t in texts]
    index: dict[str, list[int]] = {}
    found: dict[int, list[Problem]] = {}
    for j, (later, b) in enumerate(texts):
        shared = Counter(i for run in runs[j] for i in index.get(run, ()))
        for run in runs[j]:
            index.setdefault(run, []).append(j)
        for i in sorted(i for i, n in shared.items() if 2 * n >= max(len(runs[i]), len(runs[j]))):
            earlier, a = texts[i]
            if min(len(a), len(b)) / max(len(a), len(b)) < 0.9:
                continue
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


def _word_runs(text: str) -> set[str]:
    """Every run of three words in a normalised text."""
    words = text.split()
    return {" ".join(words[k : k + 3]) for k in range(len(words) - 2)}
