"""The shape of a plan file, as pydantic models: which tables and keys a plan has
and of what type. Used to say everything that is wrong with a plan that does not
load; a plan that loads never imports this module."""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..quarter import QuarterError, parse_quarter


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Head(_Strict):
    title: str = Field(min_length=1)
    period: str = Field(min_length=1)
    organisation: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    marking: str = Field(min_length=1)
    document: str = "Quarterly Update"
    first_quarter: str | None = None
    last_quarter: str | None = None
    show_empty: bool = False

    @field_validator("first_quarter", "last_quarter")
    @classmethod
    def _quarter(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_quarter(value)
            except QuarterError as exc:
                raise ValueError(exc.message) from None
        return value


class PriorityShape(_Strict):
    number: int
    title: str = Field(min_length=1)
    lead_in: str
    commitments: list[str] = Field(min_length=1)


class AreaShape(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["department", "lpa"]
    show: Literal["none", "subheading", "label"] = "none"
    display: str | None = None
    aliases: list[str] = []
    districts: list[str] = []
    contact: str | None = None


class PlanShape(_Strict):
    version: str = "1.0"
    plan: Head
    priorities: list[PriorityShape] = Field(min_length=1)
    areas: list[AreaShape] = Field(min_length=1)
    places: dict[str, list[str]] = {}


_FIELDS: dict[str, type[BaseModel]] = {"plan": Head, "priorities": PriorityShape, "areas": AreaShape}


def problems(data: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str, str]]:
    """(location, what is wrong, what to write instead) for everything wrong with `data`."""
    try:
        PlanShape.model_validate(data)
    except ValidationError as exc:
        return [_say(tuple(e["loc"]), e["type"], e["msg"], e.get("input")) for e in exc.errors()]
    return []


def _say(loc: tuple[str | int, ...], kind: str, msg: str, given: object) -> tuple[tuple[str | int, ...], str, str]:
    where = _where(loc)
    key = str(loc[-1]) if loc else ""
    if kind == "missing":
        table = "[plan]" if loc[:1] == ("plan",) else f"[[{loc[0]}]]" if len(loc) > 1 else ""
        if len(loc) == 1:
            return loc, f"the plan has no {_table_name(key)}", f"add the {_table_name(key)}"
        return loc, f"{where}: '{key}' is missing", f"add {key} = … to that {table} table"
    if kind == "extra_forbidden":
        model = _FIELDS.get(str(loc[0])) if len(loc) > 1 else PlanShape
        known = list(model.model_fields) if model else []
        near = difflib.get_close_matches(key, known, n=1)
        what = f"{_where(loc[:-1])}: '{key}'" if len(loc) > 1 else f"'{key}'"
        return loc, f"{what} is not a {'key' if len(loc) > 1 else 'table or key'} a plan has", \
            f"did you mean '{near[0]}'?" if near else f"the keys are: {', '.join(known)}"
    if kind == "literal_error":
        return loc, f"{where}: {given!r} is not allowed", msg.replace("Input should be", "write")
    if kind == "value_error":
        return loc, f"{where}: {msg.removeprefix('Value error, ')}", "write it like 2020-21-Q2"
    return loc, f"{where}: {given!r} is not right ({msg[:1].lower() + msg[1:]})", \
        "see templates/plans/ for a plan that loads"


def _table_name(key: str) -> str:
    return "[plan] table" if key == "plan" else f"[[{key}]] tables" if key in ("priorities", "areas") else key


def _where(loc: tuple[str | int, ...]) -> str:
    """'priorities, number 3: title' for ("priorities", 2, "title")."""
    parts: list[str] = []
    for item in loc:
        parts.append(f"number {item + 1}" if isinstance(item, int) else str(item))
    return " ".join(parts[:2]) + (": " + ".".join(parts[2:]) if len(parts) > 2 else "")
