"""Plan files checked on loading: a table of broken plans, each with the lines it must say."""

from __future__ import annotations

from pathlib import Path

import pytest

from assemble.errors import PlanError
from assemble.plan.file import load_plan
from assemble.plan.plans import Plans

from .plans import SAMPLE_PLAN, SAMPLE_PLAN_FILE, next_plan, plans_folder, sample_plan
from .present import there


def broken(old: str, new: str) -> str:
    assert old in SAMPLE_PLAN, old
    return SAMPLE_PLAN.replace(old, new, 1)


BAD_PLANS = [
    ("no-priorities", SAMPLE_PLAN.split("[[priorities]]")[0] + "[[areas]]" + SAMPLE_PLAN.split("[[areas]]", 1)[1],
     ["the plan has no [[priorities]] tables (add the [[priorities]] tables)"]),
    ("no-plan-table", broken("[plan]\n", "[plann]\n"),
     ["the plan has no [plan] table (add the [plan] table)",
      "line 6: 'plann' is not a table or key a plan has (did you mean 'plan'?)"]),
    ("priority-twice", broken("number = 2\n", "number = 1\n"),
     ["line 27: priority 1 is given twice (first at line 17) (give each priority its own number)"]),
    ("alias-twice", broken('aliases = ["FCR"]', 'aliases = ["FCR", "CPP"]'),
     ["line 110: 'cpp' names both Force Control Room and Crime and Public Protection (keep it for one area "
      "only; Crime and Public Protection needs another alias)"]),
    ("district-twice", broken('districts = ["Brentwood", "Epping Forest", "Harlow"]',
                              'districts = ["Brentwood", "Epping Forest", "Harlow", "Basildon"]'),
     ["line 149: district Basildon is in both South LPA and West LPA (list each district under one LPA only)"]),
    ("wrong-types", broken("number = 3\n", 'number = "three"\n').replace('lead_in = "We will:"', "lead_in = 5"),
     ["line 19: priorities number 1: lead_in: 5 is not right (input should be a valid string)",
      "line 35: priorities number 3: number: 'three' is not right (input should be a valid integer)"]),
    ("misspelt-key", broken('lead_in = "We will:"', 'leadin = "We will:"'),
     ["line 16: priorities number 1: lead_in: 'lead_in' is missing (add lead_in = … to that [[priorities]] "
      "table)",
      "line 19: priorities number 1: 'leadin' is not a key a plan has (did you mean 'lead_in'?)"]),
    ("commitment-twice", broken('"Bring more perpetrators of rape and sexual abuse to justice.",',
                                '"Bring more perpetrators of rape and sexual abuse to justice.",\n'
                                '  "Bring more perpetrators of rape and sexual abuse to justice.",'),
     ["line 64: priority 6: commitment 2 is commitment 1 again (remove the second copy)"]),
    ("bad-quarter", broken('last_quarter = "2020-21-Q4"', 'last_quarter = "2020-22-Q5"'),
     ["line 10: plan last_quarter: '2020-22-Q5' is not a quarter folder name"]),
    ("backwards", broken('last_quarter = "2020-21-Q4"', 'last_quarter = "2015-16-Q4"'),
     ["line 9: first_quarter 2016-17-Q1 comes after last_quarter 2015-16-Q4"]),
    ("not-toml", "[plan\ntitle = 1\n", ["is not valid TOML"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), BAD_PLANS, ids=[b[0] for b in BAD_PLANS])
def test_a_broken_plan_says_every_problem_with_its_line_and_fix(tmp_path, name, text, expected):
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    lines = raised.value.lines()
    said = "\n".join(lines)
    assert lines[0].startswith(f"error: {path}:")
    for part in expected:
        assert part in said, said
    assert len(lines) == 1 + len(raised.value.problems)
    assert len(raised.value.problems) == (0 if name == "not-toml" else len(expected))
    assert "bug" not in said and "Traceback" not in said and "KeyError" not in said


def test_the_sample_plan_loads_with_its_quarters():
    plan = sample_plan()
    assert plan.file == "2016-2020.toml" and len(plan.sha256) == 64
    assert (there(plan.first_quarter).name, there(plan.last_quarter).name) == ("2016-17-Q1", "2020-21-Q4")
    assert len(plan.priorities) == 7 and not plan.show_empty


def test_plans_whose_quarters_overlap_are_refused(tmp_path):
    folder = plans_folder(tmp_path / "plans", next_plan_text=next_plan(first="2020-21-Q3"))
    with pytest.raises(PlanError) as raised:
        Plans(folder).all()
    said = "\n".join(raised.value.lines())
    assert "2016-2020.toml (2016-17-Q1 to 2020-21-Q4) and 2021-2024.toml (from 2020-21-Q3) cover the same " \
           "quarters" in said


def test_a_missing_plans_folder_is_one_line(tmp_path):
    with pytest.raises(PlanError, match="no plan files"):
        Plans(tmp_path / "nowhere").all()


def test_a_good_plan_never_loads_the_shape_library(tmp_path):
    import subprocess
    import sys

    code = ("import sys, pathlib; from assemble.plan.file import load_plan; "
            f"load_plan(pathlib.Path({str(SAMPLE_PLAN_FILE)!r})); print('pydantic' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).parent.parent)
    assert result.stdout.strip() == "False"
