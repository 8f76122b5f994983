"""Turn the engine's links and anchors into what a reader meets: one link annotation
per contents entry, named destinations only where a link leads, each link saying
where it leads; and check, in the joined PDF, that every link leads somewhere.
"""

from __future__ import annotations

from typing import Any

import weasyprint

from ...errors import InternalError
from ...model import Report
from .. import layout
from . import join


def one_link_per_entry(document: weasyprint.Document) -> None:
    """One link annotation per link: the engine makes one for every box inside the <a>
    as well, five to a contents line, which a reader would meet as five links."""
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[3].element_tag == "a"]


def keep_link_targets(document: weasyprint.Document, keep: set[str]) -> None:
    """Only anchors a link leads to (and those in `keep`) become named destinations in the
    PDF; the ids that find bullets on pages (for the cuts) are of no use to a reader."""
    targets = keep | {target for page in document.pages for kind, target, *_ in page.links if kind == "internal"}
    for page in document.pages:
        for name in [n for n in page.anchors if n not in targets]:
            del page.anchors[name]


def link_descriptions(report: Report, ranges: dict[int, str]) -> dict[str, str]:
    """What each contents link says it leads to: "Priority 2 – …, pages 6 to 7"."""
    out = {}
    for p in report.priorities:
        first, _, last = ranges.get(p.number, "").partition("-")
        pages = f"pages {first} to {last}" if last else f"page {first}"
        out[layout.priority_id(p.number)] = f"{p.heading}, {pages}"
    return out


def check_links(pdf: Any, front_pages: int) -> None:
    """Every link in the joined PDF leads to a named destination it holds, in the body."""
    names = dict(join.destinations(pdf))
    front = {p.obj.objgen for p in pdf.pages[:front_pages]}
    for number, page in enumerate(pdf.pages, start=1):
        for annot in page.obj.get("/Annots", ()):
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                dest = names.get(str(annot.Dest))
                if dest is None or dest[0].objgen in front:
                    raise InternalError(f"page {number} links to #{annot.Dest}, which is not in the PDF")
