"""The plan as data: templates/plan.toml into typed records; a bad plan file is one error."""

from __future__ import annotations

import io

import pytest

from assemble.cli import main
from assemble.errors import PlanError
from assemble.plan.file import load_plan


def test_the_plan_file(plan):
    assert plan.full_title == "Police and Crime Plan 2016-2020" and plan.document == "Quarterly Update"
    assert [p.number for p in plan.priorities] == [1, 2, 3, 4, 5, 6, 7]
    assert list(plan.commitments_by_id())[:4] == ["1.1", "1.2", "1.3", "2.1"]
    c = plan.commitment("5.2")
    assert (c.priority, c.number, c.text.split()[0]) == (5, 2, "Disrupt")
    assert plan.commitment("9.9") is None and plan.priority(9) is None
    assert plan.area("Force Control Room").display == "The Force Control Room (FCR)"
    assert plan.area("Roads Policing").display == "Roads Policing"  # the name when no display is given
    assert plan.area("Nowhere") is None


def test_district_of_a_district_or_town(plan):
    assert plan.district_of("Witham") == "Braintree"
    assert plan.district_of("tendring") == "Tendring"
    assert plan.district_of("Harlow") == "Harlow"  # a district listed with no towns
    assert plan.district_of("Tending") is None  # exact names only: near misses are matching's


def test_every_lpa_district_is_a_place(plan):
    for area in plan.areas:
        for district in area.districts:
            assert district in plan.places, district


@pytest.mark.parametrize(("text", "said"), [
    ("not toml [", "is not valid TOML"),
    ("[plan]\ntitle = 'x'\n", "the plan cannot be used: 6 problems"),
    ("", "the plan cannot be used: 3 problems"),
])
def test_a_bad_plan_file_is_a_plan_error_naming_it(tmp_path, text, said):
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as err:
        load_plan(path)
    assert err.value.message.startswith(f"{path}: ") and said in err.value.message


def test_a_bad_plan_on_the_command_line_is_one_line(tmp_path):
    """Guard rails, case 10: --plan naming a file that cannot be read is a mistake in the command
    (exit 2), said in our words (it was exit 1 with the system's "No such file or directory")."""
    (tmp_path / "2020-21-Q2").mkdir()
    out, err = io.StringIO(), io.StringIO()
    argv = ["--plan", str(tmp_path / "missing.toml"), "check", str(tmp_path / "2020-21-Q2")]
    code = main(argv, out=out, err=err)
    assert code == 2 and out.getvalue() == ""
    [line] = err.getvalue().splitlines()
    assert line == (f"error: --plan {tmp_path / 'missing.toml'}: cannot read the plan file: no such file or folder "
                    "(give the path of a plan file, e.g. one in templates/plans/)")
