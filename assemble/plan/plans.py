"""Plans over time: every plan file in ``templates/plans/``, and the one that covers a quarter.

Each plan declares the quarters it covers in its ``[plan]`` table
(``first_quarter``, ``last_quarter``, inclusive; either may be left out for an
open end). A quarter is built with the plan that covers it: a new Police and
Crime Plan is a new file, and quarters of the old plan are built as before.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Place, PlanError, PlanUnreadable, UsageError, error
from ..quarter import Quarter
from . import PLANS, Plan
from .file import load_plan


class Plans:
    """The plan files of a folder, loaded once."""

    def __init__(self, folder: Path = PLANS, *, only: Path | None = None):
        self.folder = folder
        self.only = _given(only) if only is not None else None  # --plan FILE: one-off use
        self._all: list[Plan] | None = None

    def all(self) -> list[Plan]:
        if self._all is None:
            files = sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []
            if not files:
                raise PlanError(f"{self.folder}: no plan files (*.toml)", "restore templates/plans/ from git")
            plans = [load_plan(path) for path in files]
            _no_overlap(plans, self.folder)
            self._all = plans
        return self._all

    def for_quarter(self, quarter: Quarter) -> Plan:
        """The one plan that covers `quarter`; a one-line error when none does, or several do."""
        if self.only is not None:
            return self.only
        covering = [p for p in self.all() if p.covers(quarter)]
        if len(covering) == 1:
            return covering[0]
        if not covering:
            spans = "; ".join(f"{p.file} covers {p.span}" for p in self.all())
            raise PlanError(f"{quarter.name}: no plan in {self.folder} covers it ({spans})",
                            "add a plan file for it, or extend a plan's first_quarter or last_quarter")
        names = ", ".join(f"{p.file} ({p.span})" for p in covering)
        raise PlanError(f"{quarter.name}: more than one plan covers it: {names}",
                        "make the plans' quarters not overlap")


def _given(path: Path) -> Plan:
    """The plan of --plan FILE: a file that cannot be opened is a mistake in the command."""
    try:
        return load_plan(path)
    except PlanUnreadable as exc:
        raise UsageError(f"--plan {path}: {exc.message.removeprefix(f'{path}: ')}",
                         "give the path of a plan file, e.g. one in templates/plans/") from None


def _no_overlap(plans: list[Plan], folder: Path) -> None:
    """Two plans may not cover the same quarter."""
    problems = []
    for i, a in enumerate(plans):
        for b in plans[i + 1:]:
            if _before(a.first_quarter, b.last_quarter) and _before(b.first_quarter, a.last_quarter):
                problems.append(error(f"{a.file} ({a.span}) and {b.file} ({b.span}) cover the same quarters",
                                      Place(b.file), f"set {b.file}'s first_quarter after {a.file}'s last_quarter"))
    if problems:
        raise PlanError(f"{folder}: plans overlap", "each quarter must be covered by one plan", problems)


def _before(first: Quarter | None, last: Quarter | None) -> bool:
    """Whether a span starting at `first` can meet one ending at `last` (None: an open end)."""
    return first is None or last is None or first <= last
