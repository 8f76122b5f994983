"""A Police and Crime Plan as typed records (``planfile`` reads and checks its file).

A plan is data: priorities, lead-ins, commitments, areas, districts, places and
the quarters it covers all come from its file in ``templates/plans/``; nothing
here knows a particular plan. Which plan covers a quarter is ``plans``' business.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import PLANS as PLANS
from ..quarter import Quarter


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
    contact: str | None = None  # who to chase when the area has not sent its return


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
    first_quarter: Quarter | None = None  # the quarters it covers, inclusive; None: an open end
    last_quarter: Quarter | None = None
    show_empty: bool = False  # a commitment without an update gets a page saying so
    file: str = ""  # its file's name under templates/plans/, for messages and the manifest
    sha256: str = ""  # its file's hash: a changed plan changes the documents it shapes

    def covers(self, quarter: Quarter) -> bool:
        return (self.first_quarter is None or self.first_quarter <= quarter) and (
            self.last_quarter is None or quarter <= self.last_quarter)

    @property
    def span(self) -> str:
        """'2016-17-Q1 to 2020-21-Q4', 'from 2021-22-Q1'."""
        first, last = self.first_quarter, self.last_quarter
        if first and last:
            return f"{first.name} to {last.name}"
        if first:
            return f"from {first.name}"
        return f"up to {last.name}" if last else "every quarter"

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


