"""The counts that must add up: something was read, and every update read is
either placed in the document or listed as left out with its reason."""

from __future__ import annotations

from ..assembly import Assembly
from ..errors import Problem, error, errors


def check(assembly: Assembly) -> list[Problem]:
    out: list[Problem] = []
    if assembly.read == 0 and not errors(assembly.problems):
        out.append(error(f"{assembly.quarter.name}: no updates in any submission",
                         hint="check that the files are filled in"))
    if assembly.read != assembly.placed + assembly.left_out:
        names = ", ".join(f.file for f in assembly.files)
        out.append(error(f"counts do not add up: {assembly.counts_line()}",
                         hint=f"this is a bug in assemble; please report it with the inputs: {names}"))
    return out
