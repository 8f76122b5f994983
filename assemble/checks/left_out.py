"""What the merge could not place: a file whose area is not known (an error, unless
the file's own error already says its updates are left out), a file superseded by a
newer one of the same area (a warning), and files of one area with none clearly newer
(one error for the area, naming the files and the commitments they share; what they
set aside is not told again as superseded)."""

from __future__ import annotations

from ..assembly import Assembly
from ..errors import Place, Problem, Severity, error, warning
from ..merge import AREA_NOT_KNOWN
from ..model import Clash
from ..text import and_list


def check(assembly: Assembly) -> list[Problem]:
    merged = assembly.merged
    out = _clashes(merged.clashes)
    told = {p.place.file for p in assembly.problems if p.place and p.severity is Severity.ERROR}
    for lo in merged.left_out:
        if not lo.updates or lo.clash:
            continue  # nothing was lost (the file's own problem says why), or the clash's error says it
        if lo.reason == AREA_NOT_KNOWN and lo.file in told:
            continue  # the file's error says its area is not known and its updates left out
        tell = warning if lo.superseded else error
        out.append(tell(f"{lo.updates} update(s) left out: {lo.reason}", lo.place or Place(lo.file)))
    return out


def _clashes(clashes: tuple[Clash, ...]) -> list[Problem]:
    """One error per area whose files clash: the files, and the commitments they share."""
    by_area: dict[str, tuple[dict[str, None], dict[str, None]]] = {}
    for c in clashes:
        files, commitments = by_area.setdefault(c.area, ({}, {}))
        files.update(dict.fromkeys(c.files))
        commitments[c.commitment] = None
    out = []
    for area, (files, commitments) in by_area.items():
        two = len(files) == 2
        carry = f"commitment{'s' * (len(commitments) > 1)} {and_list(list(commitments))}"
        out.append(error(f"{area}: {and_list(list(files))} {'both' if two else 'all'} carry {carry}, "
                         f"and {'neither' if two else 'none'} is clearly newer",
                         hint="remove the older file, or put a version (v2) in the newer one's name"))
    return out
