"""The published reference (tests/fixtures), parsed into the 93 updates it holds as
the areas would have sent them: one Submission per area, every update with its
page and bullet as its place."""

from __future__ import annotations

import re
from pathlib import Path

from assemble.errors import Place
from assemble.model import Contribution, Span, Submission, Update

from .plans import sample_plan

PLAN = sample_plan()
FIXTURE = Path(__file__).parent / "fixtures" / "reference-2020-21-Q2-v1.1.txt"

# Which department sent an unlabelled update, by commitment (as in the sample quarter).
DEPARTMENT = {
    "1.1": "Citizens in Policing", "1.2": "Citizens in Policing", "2.1": "Community Safety",
    "3.1": "Crime and Public Protection", "4.2": "Crime and Public Protection",
    "5.1": "Serious and Organised Crime", "5.2": "Serious and Organised Crime",
    "6.1": "Crime and Public Protection", "6.2": "Community Safety", "7.1": "Roads Policing",
}
SUBHEADINGS = {"The Force Control Room (FCR):": "Force Control Room",
               "The Resolution Centre (RC):": "Resolution Centre"}
_BULLET = re.compile(r"^(?P<indent> ?)- (?P<body>.*)$")
_LABEL = re.compile(r"^(?P<label>[A-Z][\w']*(?:\s+(?:and|[A-Z][\w']*)){0,4})\s?:\s+(?P<text>.+)$")
_BARE = re.compile(r"^(?P<label>[A-Z][\w']*(?:\s+(?:and|[A-Z][\w']*)){0,3})\s?:?$")


class _Node:
    def __init__(self, label: str | None, text: str, place: Place):
        self.label, self.text, self.place = label, text, place
        self.children: list[_Node] = []

    def update(self, keep_label: bool = True) -> Update:
        return Update(
            (Span(self.text),) if self.text else (),
            tuple(n.update() for n in self.children),
            self.label if keep_label else None,
            self.place,
        )


def reference_submissions() -> list[Submission]:
    """The reference's 93 updates as the areas would have sent them: one file per area."""
    by_area = _by_area(_sections())
    out = []
    for area in PLAN.areas:
        if area.name in by_area:
            file = f"{area.name}.docx"
            contributions = tuple(_refile(cb, file) for cb in by_area[area.name])
            out.append(Submission(file, "docx", area.name, contributions))
    return out


def _sections() -> list[tuple[str, str | None, list[_Node]]]:
    """The reference's text as (commitment, subheading area, its top bullets), in order."""
    commitments = {cm.text: cm.id for p in PLAN.priorities for cm in p.commitments}
    sections: list[tuple[str, str | None, list[_Node]]] = []
    page, bullet, cid = 2, 0, ""
    top: _Node | None = None
    group: _Node | None = None
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^Priority \d+ [–-] ", line) and "\t" not in line:
            page, bullet = page + 1, 0
        elif line in commitments:
            cid = commitments[line]
            sections.append((cid, None, []))
        elif line in SUBHEADINGS:
            sections.append((cid, SUBHEADINGS[line], []))
        elif m := _BULLET.match(line):
            bullet += 1
            node = _node(m.group("body").strip(), Place("reference.docx", f"page {page}, bullet {bullet}"))
            if not m.group("indent"):
                sections[-1][2].append(node)
                top, group = node, None
            elif group is not None and node.label is None:
                group.children.append(node)  # under a bare district label
            elif top is not None:
                top.children.append(node)
                group = node if node.label and not node.text else None
    return sections


def _node(body: str, place: Place) -> _Node:
    if lm := _LABEL.match(body):
        return _Node(lm.group("label"), lm.group("text"), place)
    if bm := _BARE.match(body):
        return _Node(bm.group("label"), "", place)
    return _Node(None, body, place)


def _by_area(sections: list[tuple[str, str | None, list[_Node]]]) -> dict[str, list[Contribution]]:
    """Each area's contributions: an LPA's by its label, a department's by its subheading or commitment."""
    lpas = {name: a.name for a in PLAN.areas if a.kind == "lpa" for name in (a.name, *a.aliases)}
    by_area: dict[str, list[Contribution]] = {}
    for cid, dept, nodes in sections:
        for node in nodes:
            area = lpas.get(node.label or "")
            if area:
                by_area.setdefault(area, []).extend(_lpa_contributions(cid, node))
            elif node.label == "Local Policing Support Unit":
                by_area.setdefault(node.label, []).append(Contribution(cid, (node.update(keep_label=False),)))
            else:
                by_area.setdefault(dept or DEPARTMENT[cid], []).append(Contribution(cid, (node.update(),)))
    return by_area


def _lpa_contributions(cid: str, node: _Node) -> list[Contribution]:
    """An LPA's updates under its label: its own first, then each district's."""
    out: list[Contribution] = []
    plain: list[Update] = [node.update(keep_label=False)] if node.text else []
    for child in node.children:
        if not child.label:
            plain.append(child.update())
            continue
        if plain:
            out.append(Contribution(cid, tuple(plain)))
            plain = []
        updates = (child.update(False),) if child.text else tuple(n.update() for n in child.children)
        out.append(Contribution(cid, updates, child.label, child.place))
    if plain:
        out.append(Contribution(cid, tuple(plain)))
    return out


def _refile(cb: Contribution, file: str) -> Contribution:
    def moved(up: Update) -> Update:
        place = Place(file, up.place.where) if up.place else None
        return Update(up.spans, tuple(moved(ch) for ch in up.children), up.label, place)

    place = Place(file, cb.place.where) if cb.place else None
    return Contribution(cb.commitment, tuple(moved(up) for up in cb.updates), cb.district, place)
