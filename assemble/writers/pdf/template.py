"""Turn a Report, or the part of it one layout shows, into the HTML the engine lays out
(``templates/quarterly-update.html``, filled in by Jinja).

All text is data: the template is autoescaped and submission text only ever reaches it
as values; ``css_string`` makes a value safe inside the stylesheet's strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import jinja2
from markupsafe import Markup

from ...model import Report
from .. import layout

TEMPLATE = "quarterly-update.html"
STYLESHEET = "quarterly-update.css"


def render_html(report: Report, ranges: dict[int, str], front_only: bool = False) -> str:
    """The document as HTML: the template filled in with the report's values, escaped;
    with `front_only`, only the cover and contents."""
    return template(report, layout.priorities(report), ranges, front=True, body=not front_only, numbered=True)


def template(report: Report, priorities: Sequence[layout.Priority], ranges: dict[int, str], *,
             front: bool, body: bool, numbered: bool, furnished: bool = True) -> str:
    """The template filled in: the cover and contents (`front`), these `priorities` (`body`),
    page numbers (`numbered`) and the furniture of the page margins (`furnished`)."""
    return _environment().get_template(TEMPLATE).render(
        meta=report.meta, priorities=priorities, ranges=ranges, with_front=front, with_body=body,
        numbered=numbered, furnished=furnished,
    )


@cache
def _environment() -> jinja2.Environment:
    env = layout.environment()
    env.filters["css_string"] = css_string
    return env


def css_string(value: str) -> Markup:
    """A CSS string literal that shows value as text, whatever value holds.

    Anything but ASCII letters, digits and a few inert signs becomes a hex
    escape, so the result can end neither the string, the rule nor <style>.
    """
    out = [c if (c.isascii() and c.isalnum()) or c in " .,-/" else f"\\{ord(c):06x}" for c in value]
    return Markup('"' + "".join(out) + '"')
