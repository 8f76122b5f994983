import pytest

from assemble.coverage import Coverage, coverage
from assemble.model import Contribution, Span, Submission, Update
from assemble.plan.plans import Plans

from .plans import sample_plan


@pytest.fixture(scope="session")
def plan():
    return sample_plan()


@pytest.fixture(scope="session")
def plans():
    """The plans in templates/plans/, as every command finds them."""
    return Plans()


def _u(text: str = "update", *children: Update, label: str | None = None) -> Update:
    return Update((Span(text),) if text else (), tuple(children), label)


def _sub(area: str | None, *contributions: Contribution, file: str = "x.docx") -> Submission:
    return Submission(file, "docx", area, tuple(contributions))


@pytest.fixture(scope="session")
def small_submissions() -> list[Submission]:
    """A few submissions with every kind of gap: for coverage and what shows it."""
    u, sub = _u, _sub
    return [
        sub("North LPA",
            Contribution("2.1", (u("", u(), u(), label="Colchester"),), "Colchester"),  # bare label: 2
            Contribution("2.1", (u(),), "Tendring"),
            Contribution("5.2", (u("update", u(), u()),))),  # an update with two nested: 3
        sub("Force Control Room", Contribution("1.3", (u(), u()))),
        sub("North LPA", Contribution("7.1", (u(),)), file="late.docx"),  # a second file, same area
        sub(None, Contribution("1.1", (u(),)), file="who.docx"),
        sub("Roads Policing", Contribution("9.9", (u(),))),  # not a commitment of the plan
        sub("West LPA", Contribution("4.1", ())),  # sent, but nothing in it
    ]


@pytest.fixture(scope="session")
def small_coverage(small_submissions, plan) -> Coverage:
    return coverage(small_submissions, plan)


@pytest.fixture(scope="session")
def reference_coverage(plan) -> Coverage:
    from .reference import reference_submissions

    return coverage(reference_submissions(), plan)
