"""Comments (word/comments.xml, with the replies word/commentsExtended.xml tells) →
remarks, in the order of their anchors, each at the paragraph it is anchored to; the
unit's own (``signature``) passed over, a contributor's reply to one kept."""

from __future__ import annotations

from ... import signature
from ...errors import Place
from ...records import Remark
from ...text import clean_text
from .inline import Inline
from .wordml import W_ID, Element, P, q


class Anchors:
    """Where each comment is anchored, as the body's walk meets its anchors: a paragraph
    (or a form's row), else where it stands, when only empty paragraphs hold it."""

    def __init__(self) -> None:
        self.at: dict[str, Place] = {}  # a comment's id -> the paragraph (or form row) it is anchored to
        self.loose: dict[str, Place] = {}  # ... where it stands, when only empty paragraphs hold its anchors
        self.order: dict[str, int] = {}  # a comment's id -> when its anchor was first met

    def add(self, comment: str, place: Place, loose: bool = False) -> None:
        self.order.setdefault(comment, len(self.order))
        (self.loose if loose else self.at).setdefault(comment, place)

    def place(self, comment: str) -> Place | None:
        return self.at.get(comment) or self.loose.get(comment)


def remarks(comments: Element | None, extended: Element | None, anchors: Anchors,
            file: str) -> tuple[Remark, ...]:
    """The comments contributors wrote, in the order of their anchors, each at the paragraph
    it is anchored to (a reply Word anchored nowhere, at the comment it answers).

    A reply is a comment whose last paragraph's id (w14:paraId) has a parent in the
    comments' extended part (w15:paraIdParent), as Word writes it. The unit's own
    comments (``signature``) are passed over; a contributor's reply to one is not."""
    if comments is None:
        return ()
    found = [_comment(comment) for comment in comments.iter(q("w:comment"))]
    by_para = {last: cid for cid, last, _, _ in found if last}
    parents = _parents(extended)
    out: list[tuple[tuple[int, int, int], Remark]] = []
    for n, (cid, last, author, text) in enumerate(found):
        parent = by_para.get(parents.get(last or "", ""))
        if not text or signature.signed(text):
            continue
        place = anchors.place(cid) or (anchors.place(parent) if parent else None) or Place(file)
        order = anchors.order.get(cid, anchors.order.get(parent or "", len(anchors.order)))
        out.append(((order, parent is not None, n), Remark(place, author, text, "comment", parent is not None)))
    return tuple(remark for _, remark in sorted(out, key=lambda found: found[0]))


def _parents(extended: Element | None) -> dict[str, str]:
    """A comment's last paragraph id -> that of the comment it replies to."""
    parents: dict[str, str] = {}
    if extended is not None:
        for ex in extended.iter(q("w15:commentEx")):
            para, parent = ex.get(q("w15:paraId")), ex.get(q("w15:paraIdParent"))
            if para and parent:
                parents[para] = parent
    return parents


def _comment(comment: Element) -> tuple[str, str | None, str, str]:
    """A comment's id, its last paragraph's id, its author and its text."""
    texts = []
    last = None
    for p in comment.iter(P):
        inline = Inline({})
        inline.runs(p)
        texts.append(inline.text)
        last = p.get(q("w14:paraId"))
    author = clean_text(comment.get(q("w:author")) or "")[0]
    return comment.get(W_ID) or "", last, " ".join(author.split()), " ".join(" ".join(texts).split())
