"""What the merge could not place: a file whose area is not known (an error), a
file superseded by a newer one of the same area (a warning), and files of one
area that carry the same commitment with none clearly newer (an error)."""

from __future__ import annotations

from ..assembly import Assembly
from ..errors import Place, Problem, error, warning


def check(assembly: Assembly) -> list[Problem]:
    merged = assembly.merged
    out = [
        error(f"{c.area}: {', '.join(c.files)} all carry commitment {c.commitment} and none is clearly newer",
              hint="remove the older file, or put a version (v2) in the newer one's name")
        for c in merged.clashes
    ]
    for lo in merged.left_out:
        if not lo.updates:
            continue  # nothing was lost: the file's own problem says why it was not placed
        tell = warning if lo.superseded else error
        out.append(tell(f"{lo.updates} update(s) left out: {lo.reason}", lo.place or Place(lo.file)))
    return out
