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
    commitments = {cm.text: cm.id for p in PLAN.priorities for cm in p.commitments}
    lpas = {name: a.name for a in PLAN.areas if a.kind == "lpa" for name in (a.name, *a.aliases)}
    sections: list[tuple[str, str | None, list[_Node]]] = []  # (commitment, subheading area, top nodes)
    page, bullet, cid, dept = 2, 0, None, None
    top: _Node | None = None
    group: _Node | None = None
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if re.match(r"^Priority \d+ [–-] ", line) and "\t" not in line:
            page, bullet = page + 1, 0
            continue
        if line in commitments:
            cid, dept = commitments[line], None
            sections.append((cid, None, []))
            continue
        if line in SUBHEADINGS:
            assert cid is not None, f"the subheading {line!r} stands under no commitment"
            dept = SUBHEADINGS[line]
            sections.append((cid, dept, []))
            continue
        m = _BULLET.match(line)
        if not m:
            continue
        bullet += 1
        file = "reference.docx"
        body = m.group("body").strip()
        if lm := _LABEL.match(body):
            node = _Node(lm.group("label"), lm.group("text"), Place(file, f"page {page}, bullet {bullet}"))
        elif bm := _BARE.match(body):
            node = _Node(bm.group("label"), "", Place(file, f"page {page}, bullet {bullet}"))
        else:
            node = _Node(None, body, Place(file, f"page {page}, bullet {bullet}"))
        if not m.group("indent"):
            sections[-1][2].append(node)
            top, group = node, None
        elif group is not None and node.label is None:
            group.children.append(node)  # under a bare district label
        else:
            assert top is not None, f"the indented bullet {body!r} stands under no bullet"
            top.children.append(node)
            group = node if node.label and not node.text else None

    by_area: dict[str, list[Contribution]] = {}
    for cid, dept, nodes in sections:
        for node in nodes:
            area = lpas.get(node.label or "")
            if area:
                contributions = by_area.setdefault(area, [])
                plain: list[Update] = [node.update(keep_label=False)] if node.text else []
                for child in node.children:
                    if child.label:
                        if plain:
                            contributions.append(Contribution(cid, tuple(plain)))
                            plain = []
                        updates = ((child.update(False),) if child.text
                                   else tuple(n.update() for n in child.children))
                        contributions.append(Contribution(cid, updates, child.label, child.place))
                    else:
                        plain.append(child.update())
                if plain:
                    contributions.append(Contribution(cid, tuple(plain)))
            elif node.label == "Local Policing Support Unit":
                by_area.setdefault(node.label, []).append(Contribution(cid, (node.update(keep_label=False),)))
            else:
                by_area.setdefault(dept or DEPARTMENT[cid], []).append(Contribution(cid, (node.update(),)))

    out = []
    for a in PLAN.areas:
        if a.name in by_area:
            file = f"{a.name}.docx"
            out.append(Submission(file, "docx", a.name, tuple(_refile(cb, file) for cb in by_area[a.name])))
    return out


def _refile(cb: Contribution, file: str) -> Contribution:
    def moved(up: Update) -> Update:
        place = Place(file, up.place.where) if up.place else None
        return Update(up.spans, tuple(moved(ch) for ch in up.children), up.label, place)

    place = Place(file, cb.place.where) if cb.place else None
    return Contribution(cb.commitment, tuple(moved(up) for up in cb.updates), cb.district, place)
