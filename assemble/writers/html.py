"""Turn a Report into the Quarterly Update's HTML edition, GOV.UK-style: one
self-contained file to publish first, the PDF beside it.

One file: its styles inline (``templates/quarterly-update-web.css`` copied into a
``<style>``), no script, nothing fetched, so it reads the same opened from a disk, a
mail or a web server. ``lang="en-GB"``, a title (saying DRAFT or PREVIEW for a draft),
the marking at top and bottom, the contents as links, each priority an ``h1`` with
its lead-in, each commitment an ``h2`` with its updates as real nested lists: the
same content in the same order as the PDF (both come from ``layout.priorities``),
without its page furniture.

All text is data: the template is autoescaped and submission text only ever reaches
it as values. Characters HTML cannot carry (C0 controls but tab, newline and return;
lone surrogates; noncharacters) are dropped.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import TEMPLATES
from ..model import Report
from ..text import without_forbidden
from . import layout

TEMPLATE = "quarterly-update-web.html"
STYLESHEET = "quarterly-update-web.css"

_SPACES = re.compile(r"\s+")


def write_html(report: Report, path: Path) -> None:
    """Write the HTML edition of report to path (UTF-8, the same bytes for the same report)."""
    Path(path).write_text(render_html(report), encoding="utf-8", newline="\n")


def render_html(report: Report) -> str:
    """The HTML edition as text."""
    style = (TEMPLATES / STYLESHEET).read_text(encoding="utf-8")
    return _environment().get_template(TEMPLATE).render(
        meta=report.meta, priorities=layout.priorities(report), style=Markup(style.replace("</", "<\\/")),
    )


def clean(value: object) -> str:
    """Text as HTML may carry it: forbidden characters dropped, each run of whitespace one space."""
    return _SPACES.sub(" ", without_forbidden(str(value)))


@cache
def _environment() -> jinja2.Environment:
    return layout.environment(finalize=lambda value: value if isinstance(value, Markup) else clean(value),
                              keep_trailing_newline=True)
