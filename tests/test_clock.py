"""Every date assemble writes, from one SOURCE_DATE_EPOCH policy."""

import datetime as dt

import pytest

from assemble import clock
from assemble.errors import UsageError
from assemble.quarter import Quarter

UTC = dt.UTC


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_without_the_epoch_documents_are_dated_by_their_quarter():
    assert clock.source_date_epoch() is None
    assert clock.stamp(Quarter(2020, 2)) == dt.datetime(2020, 10, 1, tzinfo=UTC)
    assert clock.stamp(Quarter(2020, 3)) == dt.datetime(2021, 1, 1, tzinfo=UTC)
    assert clock.stamp(Quarter(2020, 4)) == dt.datetime(2021, 4, 1, tzinfo=UTC)


def test_without_the_epoch_now_is_the_clock_in_whole_seconds():
    before = dt.datetime.now(UTC).replace(microsecond=0)
    now = clock.now()
    assert now.tzinfo is not None and now.utcoffset() == dt.timedelta(0)
    assert now.microsecond == 0
    assert before <= now <= dt.datetime.now(UTC)


@pytest.mark.parametrize("value", ["1601510400", " 1601510400 "])
def test_the_epoch_stands_for_the_clock_everywhere(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    when = dt.datetime(2020, 10, 1, tzinfo=UTC)
    assert clock.source_date_epoch() == when
    assert clock.stamp(Quarter(2021, 4)) == when
    assert clock.now() == when


def test_an_empty_epoch_is_not_set(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "  ")
    assert clock.source_date_epoch() is None


@pytest.mark.parametrize("value", ["yesterday", "1601510400.5", "-", "1e9", "99999999999999999999"])
def test_an_invalid_epoch_is_a_usage_error(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(UsageError) as err:
        clock.stamp(Quarter(2020, 2))
    assert err.value.exit_status == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970" in err.value.message
    assert repr(value) in err.value.message
    assert err.value.line().startswith("error: SOURCE_DATE_EPOCH") and "\n" not in err.value.line()
    with pytest.raises(UsageError):
        clock.now()
