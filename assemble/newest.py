"""Of several returns of one area, whose updates count: per commitment, the newest
file's. A file is newer by the version in its name ("v2", "version 3"), else by the
time the document says it was last saved. Files of one area that tie as the newest
clash: the first of them is kept, so every update is still placed or left out, and
the clash is recorded for its one error (``checks.left_out``). What the merge places
and what coverage counts are this one choice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Clash, Contribution, LeftOut, Submission

_FILE_VERSION = re.compile(r"(?:^|[^a-z0-9])v(?:ersion)?\s*(\d+(?:\.\d+)?)(?![0-9])", re.IGNORECASE)

Chosen = dict[tuple[str, str], list[Contribution]]  # (area, commitment) -> the newest file's contributions


def kept(submissions: Sequence[Submission]) -> Chosen:
    """Per area and commitment, the contributions that count (a file whose area is not known has none)."""
    return per_commitment(submissions)[0]


def per_commitment(subs: Sequence[Submission]) -> tuple[Chosen, list[LeftOut], list[Clash]]:
    """Per area and commitment, the contributions of the newest file that has it; the
    others' set aside (as superseded, or as part of a clash); and the clashes."""
    chosen: Chosen = {}
    left_out: list[LeftOut] = []
    clashes: list[Clash] = []
    holders: dict[tuple[str, str], list[Submission]] = {}
    for sub in subs:
        if sub.area is None:
            continue  # set aside whole: its area is not known
        for cid in dict.fromkeys(c.commitment for c in sub.contributions):
            holders.setdefault((sub.area, cid), []).append(sub)
    for (area, cid), held in holders.items():
        winner = held[0]
        if len(held) > 1:
            ranked = sorted(held, key=recency, reverse=True)
            tied = [s for s in ranked if recency(s) == recency(ranked[0])]
            if len(tied) > 1:
                clashes.append(Clash(area, cid, tuple(s.file for s in tied)))
            winner = ranked[0]
            for loser in ranked[1:]:
                n = sum(c.count() for c in loser.contributions if c.commitment == cid)
                reason = (f"{winner.file} also carries commitment {cid} and neither is clearly newer"
                          if loser in tied else f"superseded by {winner.file} for commitment {cid}")
                left_out.append(LeftOut(loser.file, n, reason, superseded=True, commitment=cid,
                                        clash=len(tied) > 1))
        chosen[(area, cid)] = [c for c in winner.contributions if c.commitment == cid]
    return chosen, left_out, clashes


def recency(sub: Submission) -> tuple[float, str]:
    """How new a file is: the version its name gives (0 when none), then when its email was sent,
    else its last-saved time."""
    m = _FILE_VERSION.search(sub.file.rsplit(".", 1)[0])
    return (float(m.group(1)) if m else 0.0, sub.sent or sub.modified or "")
