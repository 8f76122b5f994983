"""Read updates laid out as rows: an Excel sheet, or a table in a Word file.

A header row names the columns (any order and case); each row below is one
update. Blank Priority or Commitment cells mean "as above".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import matching
from ..model import Place, Problem, Span
from ..plan import Plan
from .nesting import Line

TEXT_HEADERS = ("update", "updates", "text", "narrative", "comment", "comments")
_KEYS = ("priority", "commitment", "district", "level", "area")


def columns(cells: list[str]) -> dict[str, int] | None:
    """Column positions when these cells are a header row naming Priority and Update."""
    cols: dict[str, int] = {}
    for i, cell in enumerate(cells):
        key = matching.normalise(cell)
        if key in _KEYS and key not in cols:
            cols[key] = i
        elif key in TEXT_HEADERS and "update" not in cols:
            cols["update"] = i
    return cols if "priority" in cols and "update" in cols else None


@dataclass
class Rows:
    """What the rows said: lines per typed area name (None: the file's own area)."""

    by_area: dict[str | None, list[Line]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read(rows: list[tuple[Place, list[str]]], cols: dict[str, int], plan: Plan,
         default_area: str | None = None) -> Rows:
    out = Rows()
    priority: int | None = None
    commitment: str | None = None
    for place, cells in rows:
        def cell(key: str) -> str:
            i = cols.get(key)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        if not any(c.strip() for c in cells):
            continue
        if cell("priority"):
            n = _priority(cell("priority"))
            if n is None or plan.priority(n) is None:
                out.problems.append(Problem(
                    "error", f"'{cell('priority')}' is not a priority of the plan", place,
                    f"give the priority's number, 1 to {len(plan.priorities)}"))
                priority = commitment = None
                continue
            if n != priority:
                commitment = None
            priority = n
        if cell("commitment") and priority is not None:
            found = matching.commitment(plan, priority, cell("commitment"))
            if not found:
                near = matching.closest_commitment(plan, priority, cell("commitment"))
                out.problems.append(Problem(
                    "error", f"cannot match commitment '{_short(cell('commitment'))}' to Priority {priority}",
                    place, f"closest in the plan is {near.id} '{_short(near.text)}'" if near else ""))
                commitment = None
                continue
            commitment = found.id
        text = " ".join(cell("update").split())
        if not text:
            continue
        if priority is None or commitment is None:
            out.problems.append(Problem("error", f"update '{_short(text)}' has no priority and commitment",
                                        place, "fill in the Priority and Commitment columns"))
            continue
        level = _level(cell("level"))
        if level is None:
            out.problems.append(Problem("error", f"Level '{cell('level')}' is not 1, 2 or 3", place,
                                        "use 1 for a main bullet, 2 and 3 for sub-bullets"))
            continue
        line = Line(commitment, level, (Span(text),), place, cell("district").rstrip(":").strip() or None)
        out.by_area.setdefault(cell("area") or default_area, []).append(line)
    return out


def _priority(text: str) -> int | None:
    return matching.priority_number(text if not text[:1].isdigit() else f"Priority {text}")


def _level(text: str) -> int | None:
    if not text:
        return 0
    try:
        n = int(float(text))
    except ValueError:
        return None
    return n - 1 if 1 <= n <= 3 else None


def _short(text: str, n: int = 8) -> str:
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")
