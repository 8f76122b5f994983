"""Turn a quarter folder's name ("2020-21-Q2") into every label the document shows.

UK financial year: Q1 is April–June, Q2 July–September, Q3 October–December,
Q4 January–March of the following calendar year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .errors import FolderError

_NAME = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    start_year: int  # 2020 for 2020/21
    number: int  # 1..4

    @property
    def name(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}-Q{self.number}"

    @property
    def year_label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def short(self) -> str:
        return f"{self.year_label} Q{self.number}"

    @property
    def long(self) -> str:
        return f"Quarter {self.number} – {self.year_label}"

    @property
    def end(self) -> tuple[int, int]:
        """(year, month) of the last month of data."""
        month = 3 + 3 * self.number  # 6, 9, 12, 15
        year = self.start_year + (month > 12)
        return year, (month - 1) % 12 + 1

    @property
    def start(self) -> tuple[int, int]:
        """(year, month) of the first month of data."""
        month = 1 + 3 * self.number  # 4, 7, 10, 13
        return self.start_year + (month > 12), (month - 1) % 12 + 1

    @property
    def produced_month(self) -> tuple[int, int]:
        """(year, month) the update is produced: the month after the data ends."""
        year, month = self.end
        return (year + 1, 1) if month == 12 else (year, month + 1)

    @property
    def data_to(self) -> str:
        year, month = self.end
        return f"{calendar.month_name[month]} {year}"

    @property
    def produced(self) -> str:
        """The month after the data ends, when the update is produced."""
        year, month = self.produced_month
        return f"{calendar.month_name[month]} {year}"

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.start_year - 1, 4)
        return Quarter(self.start_year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.start_year + 1, 1)
        return Quarter(self.start_year, self.number + 1)


class QuarterError(FolderError):
    """A folder name that is not a quarter's."""


def parse_quarter(name: str) -> Quarter:
    m = _NAME.match(name)
    if not m:
        raise QuarterError(
            f"'{name}' is not a quarter folder name: expected e.g. 2020-21-Q2 "
            "(financial year 2020/21, quarter 2)"
        )
    start, end2, q = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if (start + 1) % 100 != end2:
        raise QuarterError(
            f"'{name}' is not a quarter folder name: {start} is followed by "
            f"{(start + 1) % 100:02d}, not {end2:02d}"
        )
    return Quarter(start, q)


def quarter_of(year: int, month: int) -> Quarter:
    """The financial quarter a calendar month falls in."""
    if month >= 4:
        return Quarter(year, (month - 4) // 3 + 1)
    return Quarter(year - 1, 4)
