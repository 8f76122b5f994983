"""A plan file read and checked: every problem at once, each with its line and the fix.

The shape (the tables and keys a plan has, and their types) is checked by
pydantic, only when a plan does not load as it should, so a good plan costs
nothing more to load. The sense is checked every time: priority numbers and
commitments given once, every area, alias, district and place claimed by one
area only, a first quarter before the last. ``plans`` adds the check across
files: no two plans cover the same quarter.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Place, PlanError, PlanUnreadable, Problem, describe_os_error, error
from ..quarter import Quarter, QuarterError, parse_quarter
from ..text import normalise
from . import Area, Commitment, Plan, Priority

AREA_KINDS = ("department", "lpa")
SHOW = ("none", "subheading", "label")


def load_plan(path: Path) -> Plan:
    """The plan in `path`; PlanError listing every problem when it is not a plan that can be used."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        what, _ = describe_os_error(exc)
        raise PlanUnreadable(f"{path}: cannot read the plan file: {what}", "restore the plan file") from None
    text = raw.decode("utf-8", errors="replace")
    where = _Lines(path.name, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path}: is not valid TOML ({exc})", "fix the line it names") from None
    try:
        plan = _plan_from(data)
    except (KeyError, TypeError, ValueError, AttributeError, QuarterError):
        problems = _shape_problems(data, where) or [error("the plan cannot be read", Place(path.name))]
        raise PlanError.of(path, problems) from None
    problems = list(_sense_problems(plan, where))
    if problems:
        raise PlanError.of(path, problems)
    return replace(plan, file=path.name, sha256=hashlib.sha256(raw).hexdigest())


# --- building the plan ------------------------------------------------------------------


def _plan_from(data: dict[str, Any]) -> Plan:
    head = data["plan"]
    areas = tuple(
        Area(
            name=_text(a["name"]),
            kind=_choice(a["kind"], AREA_KINDS),
            show=_choice(a.get("show", "none"), SHOW),
            display=_text(a.get("display", a["name"])),
            aliases=tuple(_text(x) for x in a.get("aliases", ())),
            districts=tuple(_text(x) for x in a.get("districts", ())),
            contact=_text(a["contact"]) if "contact" in a else None,
        )
        for a in data["areas"]
    )
    places = {_text(d): tuple(_text(t) for t in towns) for d, towns in data.get("places", {}).items()}
    for area in areas:
        for district in area.districts:
            places.setdefault(district, ())
    unknown = set(data) - {"version", "plan", "priorities", "areas", "places"}
    if unknown:
        raise KeyError(unknown)
    return Plan(
        title=_text(head["title"]),
        period=_text(head["period"]),
        organisation=_text(head["organisation"]),
        unit=_text(head["unit"]),
        marking=_text(head["marking"]),
        document=_text(head.get("document", "Quarterly Update")),
        version=_text(data.get("version", "1.0")),
        priorities=tuple(_priority_from(p) for p in data["priorities"]),
        areas=areas,
        places=places,
        first_quarter=_quarter(head.get("first_quarter")),
        last_quarter=_quarter(head.get("last_quarter")),
        show_empty=_flag(head.get("show_empty", False)),
    )


def _priority_from(p: dict[str, Any]) -> Priority:
    number = p["number"]
    if not isinstance(number, int) or isinstance(number, bool):
        raise TypeError(number)
    commitments = tuple(
        Commitment(id=f"{number}.{i}", priority=number, number=i, text=_text(text))
        for i, text in enumerate(p["commitments"], start=1)
    )
    return Priority(number=number, title=_text(p["title"]), lead_in=_text(p["lead_in"]), commitments=commitments)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(value)
    return value


def _choice(value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(value)
    return str(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _quarter(value: object) -> Quarter | None:
    return None if value is None else parse_quarter(_text(value))


# --- the shape: what is missing or of the wrong type -------------------------------------


def _shape_problems(data: dict[str, Any], where: _Lines) -> list[Problem]:
    """Every way `data` differs from a plan's shape, each at its line with what to write."""
    from . import shape as planshape

    return [error(message, where.place(loc), hint) for loc, message, hint in planshape.problems(data)]


# --- the sense: what is given twice, or contradicts itself -----------------------------------


def _sense_problems(plan: Plan, where: _Lines) -> Iterator[Problem]:
    seen_numbers: dict[int, int] = {}
    for i, p in enumerate(plan.priorities):
        if p.number in seen_numbers:
            first = where.line(("priorities", seen_numbers[p.number], "number"))
            yield error(f"priority {p.number} is given twice (first at line {first})",
                        where.place(("priorities", i, "number")), "give each priority its own number")
        seen_numbers.setdefault(p.number, i)
        texts: dict[str, int] = {}
        for j, c in enumerate(p.commitments):
            key = normalise(c.text)
            if key in texts:
                yield error(f"priority {p.number}: commitment {j + 1} is commitment {texts[key] + 1} again",
                            where.place(("priorities", i, "commitments")), "remove the second copy")
            texts.setdefault(key, j)
    if not plan.priorities:
        yield error("the plan has no priorities", where.place(("priorities",)),
                    "add a [[priorities]] table for each priority")
    yield from _claimed_twice(plan, where)
    if plan.first_quarter and plan.last_quarter and plan.first_quarter > plan.last_quarter:
        yield error(f"first_quarter {plan.first_quarter.name} comes after last_quarter {plan.last_quarter.name}",
                    where.place(("plan", "first_quarter")), "swap them, or correct the one that is wrong")


def _claimed_twice(plan: Plan, where: _Lines) -> Iterator[Problem]:
    """An area name or alias, a district or a place claimed by two areas (or districts)."""
    names: dict[str, str] = {}
    for i, area in enumerate(plan.areas):
        for name in dict.fromkeys(normalise(n) for n in (area.name, area.display, *area.aliases)):
            other = names.get(name)
            if other is not None and other != area.name:
                yield error(f"'{name}' names both {other} and {area.name}", where.place(("areas", i, "aliases")),
                            f"keep it for one area only; {area.name} needs another alias")
            names.setdefault(name, area.name)
    owner: dict[str, str] = {}
    for i, area in enumerate(plan.areas):
        if area.districts and area.kind != "lpa":
            yield error(f"{area.name} has districts but is a {area.kind}", where.place(("areas", i, "kind")),
                        'write kind = "lpa", or move the districts to the LPA they belong to')
        for district in area.districts:
            if district in owner and owner[district] != area.name:
                yield error(f"district {district} is in both {owner[district]} and {area.name}",
                            where.place(("areas", i, "districts")), "list each district under one LPA only")
            owner.setdefault(district, area.name)
    town_of: dict[str, str] = {}
    for district, towns in plan.places.items():
        for town in towns:
            key = normalise(town)
            if key in town_of and town_of[key] != district:
                yield error(f"place {town} is in both {town_of[key]} and {district}",
                            where.place(("places", district)), "list each place under one district only")
            town_of.setdefault(key, district)


# --- where things are in the file ------------------------------------------------------------

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*=""")


class _Lines:
    """Line numbers of a TOML file's tables and keys, found by reading its lines
    (tomllib keeps none): enough to point at the line a problem is on."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.tables: list[tuple[str, int]] = []  # (table name, line number), in order
        self.keys: list[tuple[int, str, int]] = []  # (table index, key, line number)
        for number, line in enumerate(text.splitlines(), start=1):
            if m := _HEADER.match(line):
                self.tables.append((m.group(1), number))
            elif m := _KEY.match(line):
                self.keys.append((len(self.tables) - 1, m.group(1).strip("\"'"), number))

    def line(self, loc: tuple[str | int, ...]) -> int | None:
        """The line of a location like ("priorities", 2, "title") or ("plan", "first_quarter")."""
        if not loc:
            return None
        name, rest = str(loc[0]), list(loc[1:])
        index = rest.pop(0) if rest and isinstance(rest[0], int) else 0
        tables = [i for i, (t, _) in enumerate(self.tables) if t == name]
        if not tables:
            top = [n for t, k, n in self.keys if t == -1 and k == name]
            return top[0] if top else None
        table = tables[min(index, len(tables) - 1)] if isinstance(index, int) else tables[0]
        key = next((str(r) for r in rest if isinstance(r, str)), None)
        found = [n for t, k, n in self.keys if t == table and k == key]
        return found[0] if found else self.tables[table][1]

    def place(self, loc: tuple[str | int, ...]) -> Place:
        number = self.line(loc)
        return Place(self.file, f"line {number}" if number else "")
