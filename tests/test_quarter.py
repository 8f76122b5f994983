import pytest

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
