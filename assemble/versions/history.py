"""What earlier quarters said: the previous quarter's newest version, read back from
its outputs folder (manifest and outline), for the checks that compare this
quarter's returns with last quarter's and for the returns rolled forward (with what
its checks flagged in its updates, which the returns carry on the lines they carry
over); with the returns sent out for this quarter, pre-filled from it (``outbox``)."""

from __future__ import annotations

from pathlib import Path

from ..assembly import Earlier
from ..errors import AssembleError
from ..quarter import Quarter
from . import Sent, native, outbox
from .store import Store


def sent(outputs: Path, quarter: Quarter) -> tuple[Sent, ...]:
    """The returns a quarter's newest version was built from: which area sent which format."""
    folder = outputs / quarter.name
    if not folder.is_dir():
        return ()
    try:
        newest = Store(folder, quarter.name).manifest().newest
    except AssembleError:
        return ()
    return newest.fingerprint.sent if newest else ()


def earlier(outputs: Path, quarter: Quarter) -> Earlier | None:
    """The newest version of the quarter before `quarter`, or None when it was never built."""
    before = quarter.previous()
    folder = outputs / before.name
    if not folder.is_dir():
        return None
    try:
        newest = Store(folder, before.name).manifest().newest
        if newest is None or "native" not in newest.outputs:
            return None
        outline = (folder / newest.outputs["native"].file).read_text(encoding="utf-8")
        priorities = native.parse(outline)
    except (AssembleError, OSError, ValueError):
        return None  # a damaged earlier quarter is its own build's business, not this one's
    return Earlier(before.name, newest.version, priorities, dict(newest.fingerprint.inputs),
                   outbox.load(outputs / quarter.name / "returns"), newest.flags)
