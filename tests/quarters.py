"""The quarters tests build from: the sample, and a small quarter of three of its returns
for tests whose point is the cycle (versions, release, preview, watch, the speed-ups),
not the sample's pages. A build of the small quarter takes about half the time of the
sample's; the tests of the sample's pages and text build the sample."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "2020-21-Q2"
GOLDEN = ROOT / "tests" / "golden" / f"{SAMPLE.name}.native"  # the sample's reviewed outline (make accept-golden)

# A department's Excel return, an LPA's Word return with district labels, and one more Excel
# return; between them two of the sample's four slips (the FCR's percentage, Roads Policing's
# "down from 238"), so a build of it warns.
SMALL_RETURNS = ("FCR Q2 update.xlsx", "Roads Policing Q2.xlsx", "West LPA Q2.docx")


def small_quarter(parent: Path) -> Path:
    """A copy of the small quarter in `parent`/2020-21-Q2; its path."""
    folder = parent / SAMPLE.name
    folder.mkdir(parents=True)
    for name in SMALL_RETURNS:
        shutil.copy2(SAMPLE / name, folder / name)
    return folder
