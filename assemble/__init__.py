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
