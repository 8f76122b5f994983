"""Every date assemble writes, from one policy.

``SOURCE_DATE_EPOCH`` (whole seconds since 1970, the reproducible-builds
convention), when set, stands for the clock everywhere. Otherwise dates written
into the documents (``stamp``) come from the quarter: the first day of the month
the update is produced, so the same inputs give the same bytes; and the moments
recorded in the manifest (``now``) come from the clock, to the second, in UTC.
"""

from __future__ import annotations

import datetime as dt
import os

from .errors import UsageError
from .quarter import Quarter

ENV = "SOURCE_DATE_EPOCH"


def source_date_epoch() -> dt.datetime | None:
    """The moment SOURCE_DATE_EPOCH names, or None when it is not set."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"{ENV} must be whole seconds since 1970, not {value!r}",
                         "unset it, or set it to a number such as 1601510400") from None


def stamp(quarter: Quarter) -> dt.datetime:
    """The date written into a quarter's documents: the epoch, else its production month's first day."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    year, month = quarter.produced_month
    return dt.datetime(year, month, 1, tzinfo=dt.UTC)


def now() -> dt.datetime:
    """This moment for the manifest (UTC, whole seconds): the epoch when set."""
    return (source_date_epoch() or dt.datetime.now(dt.UTC)).replace(microsecond=0)


def shown(iso: str | None) -> str:
    """A moment as a table shows it, to the minute: '2020-10-05 14:12' from an ISO 8601 time."""
    return iso.replace("T", " ")[:16] if iso else ""
