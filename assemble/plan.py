"""Load the Police and Crime Plan from its data file into typed records.

The plan is data: priorities, lead-ins, commitments, areas, districts and places
all come from ``templates/plan.toml``; nothing here knows a particular plan.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import PlanError


@dataclass(frozen=True)
class Commitment:
    id: str  # "1.3": priority number, then place within the priority
    priority: int
    number: int
    text: str


@dataclass(frozen=True)
class Priority:
    number: int
    title: str
    lead_in: str
    commitments: tuple[Commitment, ...]


@dataclass(frozen=True)
class Area:
    name: str
    kind: str  # "department" or "lpa"
    show: str  # "none", "subheading" or "label"
    display: str
    aliases: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    title: str
    period: str
    organisation: str
    unit: str
    marking: str
    document: str
    version: str
    priorities: tuple[Priority, ...]
    areas: tuple[Area, ...]
    places: dict[str, tuple[str, ...]]  # district -> towns and other places in it

    @property
    def full_title(self) -> str:
        return f"{self.title} {self.period}"

    def commitment(self, cid: str) -> Commitment | None:
        return self.commitments_by_id().get(cid)

    def commitments_by_id(self) -> dict[str, Commitment]:
        return {c.id: c for p in self.priorities for c in p.commitments}

    def priority(self, number: int) -> Priority | None:
        return next((p for p in self.priorities if p.number == number), None)

    def area(self, name: str) -> Area | None:
        return next((a for a in self.areas if a.name == name), None)

    def district_of(self, place: str) -> str | None:
        """The district a district or town name belongs to (exact, any case)."""
        key = place.casefold()
        for district, towns in self.places.items():
            if key == district.casefold() or key in (t.casefold() for t in towns):
                return district
        return None


DEFAULT_PLAN = Path(__file__).resolve().parent.parent / "templates" / "plan.toml"


def load_plan(path: Path = DEFAULT_PLAN) -> Plan:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return _plan_from(data)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise PlanError(f"{path}: cannot load the plan: {exc}", "fix the plan file") from exc


def _plan_from(data: dict[str, Any]) -> Plan:
    head = data["plan"]
    priorities = tuple(_priority_from(p) for p in data["priorities"])
    areas = tuple(
        Area(
            name=a["name"],
            kind=a["kind"],
            show=a.get("show", "none"),
            display=a.get("display", a["name"]),
            aliases=tuple(a.get("aliases", ())),
            districts=tuple(a.get("districts", ())),
        )
        for a in data["areas"]
    )
    places = {d: tuple(t) for d, t in data.get("places", {}).items()}
    for area in areas:
        for district in area.districts:
            places.setdefault(district, ())
    return Plan(
        title=head["title"],
        period=head["period"],
        organisation=head["organisation"],
        unit=head["unit"],
        marking=head["marking"],
        document=head.get("document", "Quarterly Update"),
        version=str(data.get("version", "1.0")),
        priorities=priorities,
        areas=areas,
        places=places,
    )


def _priority_from(p: dict[str, Any]) -> Priority:
    number = int(p["number"])
    commitments = tuple(
        Commitment(id=f"{number}.{i}", priority=number, number=i, text=text)
        for i, text in enumerate(p["commitments"], start=1)
    )
    return Priority(number=number, title=p["title"], lead_in=p["lead_in"], commitments=commitments)
