import pytest

from assemble.errors import FolderError
from assemble.quarter import QuarterError, parse_quarter, quarter_of


@pytest.mark.parametrize("name,short,long,data_to,produced", [
    ("2020-21-Q2", "2020/21 Q2", "Quarter 2 – 2020/21", "September 2020", "October 2020"),
    ("2020-21-Q3", "2020/21 Q3", "Quarter 3 – 2020/21", "December 2020", "January 2021"),
    ("2020-21-Q4", "2020/21 Q4", "Quarter 4 – 2020/21", "March 2021", "April 2021"),
    ("1999-00-Q1", "1999/00 Q1", "Quarter 1 – 1999/00", "June 1999", "July 1999"),
])
def test_labels(name, short, long, data_to, produced):
    q = parse_quarter(name)
    assert (q.name, q.short, q.long, q.data_to, q.produced) == (name, short, long, data_to, produced)


@pytest.mark.parametrize("name", ["2020-22-Q2", "2020-21-Q5", "Q2", "2020-21 Q2", "inputs"])
def test_not_a_quarter(name):
    with pytest.raises(QuarterError):
        parse_quarter(name)


def test_quarter_of_month():
    assert quarter_of(2021, 2).name == "2020-21-Q4"
    assert quarter_of(2020, 7).name == "2020-21-Q2"


def test_quarters_are_ordered_and_step_across_years():
    q = parse_quarter("2020-21-Q1")
    assert q.previous().name == "2019-20-Q4" and q.previous().next() == q
    assert parse_quarter("2020-21-Q4").next().name == "2021-22-Q1"
    assert parse_quarter("2020-21-Q3").previous().name == "2020-21-Q2"
    assert sorted([parse_quarter("2021-22-Q1"), parse_quarter("2020-21-Q4"), q]) == [
        q, parse_quarter("2020-21-Q4"), parse_quarter("2021-22-Q1")]
    assert max([q, q.next()]) == q.next()


@pytest.mark.parametrize("name, start, end, produced", [
    ("2020-21-Q1", (2020, 4), (2020, 6), (2020, 7)),
    ("2020-21-Q3", (2020, 10), (2020, 12), (2021, 1)),
    ("2020-21-Q4", (2021, 1), (2021, 3), (2021, 4)),
])
def test_months(name, start, end, produced):
    q = parse_quarter(name)
    assert (q.start, q.end, q.produced_month) == (start, end, produced)


def test_a_bad_name_is_a_folder_error_with_one_line():
    with pytest.raises(FolderError) as err:
        parse_quarter("2020-22-Q2")
    assert isinstance(err.value, QuarterError) and err.value.exit_status == 1
    assert err.value.line() == ("error: '2020-22-Q2' is not a quarter folder name: 2020 is followed by 21, "
                                "not 22")
