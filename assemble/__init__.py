"""assemble: turn a quarter's returns into the Quarterly Update (PDF, Word file and HTML edition).

The folder list reads as the flow: ``readers`` (a file → a record) → ``resolve`` (a record
and the quarter's ``plan`` → submissions) → ``merge`` and ``checks`` → ``writers``, driven by
``pipeline``; ``versions`` keeps the cycle's history, ``returns`` writes what is sent out,
``cli`` is the command line. Light on purpose: every command imports it.
"""

from pathlib import Path

__version__ = "0.1.0"
PACKAGE = Path(__file__).resolve().parent  # the code, hashed into each manifest
TEMPLATES = PACKAGE.parent / "templates"  # layouts, fonts and plans: the unit's to edit, the one place they are
PLANS = TEMPLATES / "plans"  # a plan file each, saying what a quarter's document holds


def layouts(folder: Path = TEMPLATES) -> list[Path]:
    """Every file under `folder` that shapes how a document looks (layouts, stylesheets, fonts,
    watermarks): all but the plans, which say what it holds. What a version records as its
    templates, and what the PDF's kept layouts are keyed by."""
    plans = folder / PLANS.name
    return sorted(p for p in folder.rglob("*") if p.is_file() and plans not in p.parents)
