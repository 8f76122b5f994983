"""Plan files made by code: the sample's plan as it is, and a second plan of the
kind the next Police and Crime Plan would be (twelve priorities, other area
names, a new department), for tests of quarters across plans."""

from __future__ import annotations

from pathlib import Path

from assemble.plan import PLANS, Plan
from assemble.plan.plans import Plans
from assemble.quarter import parse_quarter


def sample_plan() -> Plan:
    """The plan covering the sample quarter (inputs/2020-21-Q2), as templates/plans/ has it."""
    return Plans().for_quarter(parse_quarter("2020-21-Q2"))


SAMPLE_PLAN_FILE = PLANS / sample_plan().file
SAMPLE_PLAN = SAMPLE_PLAN_FILE.read_text(encoding="utf-8")

# name, kind, show, aliases, districts, contact: an area of the plan file's [[areas]]
NEXT_AREAS: tuple[tuple[str, str, str, list[str], list[str], str | None], ...] = (
    ("Cyber Crime Unit", "department", "none", ["Cyber", "CCU"], [], "cyber.returns@example.org"),
    ("Contact Centre", "department", "subheading", ["CC"], [], None),
    ("Mid LPA", "lpa", "label", ["Mid"], ["Braintree", "Chelmsford", "Maldon"], "mid.lpa@example.org"),
    ("Coast LPA", "lpa", "label", ["Coast"], ["Tendring", "Southend", "Rochford"], None),
)


def next_plan(first: str = "2021-22-Q1", last: str | None = None, *, show_empty: bool = False,
              priorities: int = 12) -> str:
    """A second plan: `priorities` priorities of two commitments each, four areas."""
    lines = [
        'version = "1.0"',
        "",
        "[plan]",
        'title = "Police and Crime Plan"',
        'period = "2021-2024"',
        f'first_quarter = "{first}"',
        *([f'last_quarter = "{last}"'] if last else []),
        'organisation = "Essex Police"',
        'unit = "Performance Analysis Unit"',
        'marking = "OFFICIAL"',
        'document = "Quarterly Update"',
        *(["show_empty = true"] if show_empty else []),
    ]
    for n in range(1, priorities + 1):
        lines += [
            "", "[[priorities]]", f"number = {n}", f'title = "Priority Title Number {n}"',
            'lead_in = "Working with partners we will:"',
            "commitments = [",
            f'  "Deliver the first promise of priority {n} with every partner across the county.",',
            f'  "Deliver the second promise of priority {n} through better use of data and technology.",',
            "]",
        ]
    for name, kind, show, aliases, districts, contact in NEXT_AREAS:
        lines += ["", "[[areas]]", f'name = "{name}"', f'kind = "{kind}"', f'show = "{show}"',
                  "aliases = [" + ", ".join(f'"{a}"' for a in aliases) + "]"]
        if districts:
            lines.append("districts = [" + ", ".join(f'"{d}"' for d in districts) + "]")
        if contact:
            lines.append(f'contact = "{contact}"')
    lines += ["", "[places]", 'Tendring = ["Clacton", "Harwich"]']
    return "\n".join(lines) + "\n"


def plans_folder(folder: Path, *, next_plan_text: str | None = None) -> Path:
    """A plans folder with the sample's plan, and the next plan when given."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2016-2020.toml").write_text(SAMPLE_PLAN, encoding="utf-8")
    if next_plan_text is not None:
        (folder / "2021-2024.toml").write_text(next_plan_text, encoding="utf-8")
    return folder
