"""Comments added to a Word document's paragraphs, in its own XML: the comments part
(word/comments.xml, made with its relationship and content type when the document has
none, extended when it has) and, in the document, each comment's range around the
paragraph's whole content — commentRangeStart after its properties, commentRangeEnd
and a run holding the commentReference at its end — so that any paragraph can carry
one: text in hyperlinks, fields, content controls, text boxes and table cells too (in
a block content control, at the paragraph's start: see ``_anchor``).

A paragraph is found by its position among every w:p of the main part in document
order (what ``readers.docx.paragraphs`` gives for each place). The document's own
comments, and every other part, are left as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from lxml import etree

from .repack import CannotEdit, Element, Repack, local, namespace

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"


def add_comments(package: Repack, main: str, comments: Mapping[int | None, Sequence[str]], author: str,
                 initials: str, when: dt.datetime) -> int:
    """Each text of `comments` a comment by `author`, dated `when`, on the paragraph at that
    position (None: the body's first paragraph); how many were added. The texts are
    written as given."""
    document = package.xml(main)
    if document is None:
        raise CannotEdit(f"its document part {main} is missing")
    w = namespace(document)
    paragraphs = list(document.iter(f"{{{w}}}p"))
    body = document.find(f"{{{w}}}body")
    first = next(iter(body.iter(f"{{{w}}}p")), None) if body is not None else None
    part, root = _comments_part(package, main, w)
    next_id = _next_id(root, document, w)
    added = 0
    for position, texts in comments.items():
        p = first if position is None or not 0 <= position < len(paragraphs) else paragraphs[position]
        if p is None:
            continue
        for text in texts:
            root.append(_comment(w, str(next_id), author, initials, when, text))
            _anchor(p, w, str(next_id))
            next_id += 1
            added += 1
    if added:
        package.put(main, document)
        package.put(part, root)
    return added


def _comments_part(package: Repack, main: str, w: str) -> tuple[str, Element]:
    """The document's comments part and its root: its own, or a new one related to it."""
    found = package.related(main, "comments")
    root = package.xml(found) if found else None
    if found is not None and root is not None:
        return found, root
    folder = main.rpartition("/")[0]
    part = f"{folder}/comments.xml" if folder else "comments.xml"
    if package.has(part):  # a part of that name that is not the document's comments
        part = package.unused(part.replace("comments.xml", "comments{}.xml"))
    package.relate(main, "comments", part)
    package.content_type(part, COMMENTS_TYPE)
    return part, etree.Element(f"{{{w}}}comments", nsmap={"w": w})


def _next_id(comments: Element, document: Element, w: str) -> int:
    """One more than any comment id the comments part or the document's anchors use."""
    ids = [c.get(f"{{{w}}}id") for c in comments.iter(f"{{{w}}}comment")]
    ids += [el.get(f"{{{w}}}id") for el in document.iter(f"{{{w}}}commentRangeStart", f"{{{w}}}commentReference")]
    return max((int(i) for i in ids if i and i.lstrip("-").isdigit() and len(i) < 10), default=-1) + 1


def _comment(w: str, cid: str, author: str, initials: str, when: dt.datetime, text: str) -> Element:
    """<w:comment> holding one paragraph: Word's annotation mark, then the text."""
    comment = etree.Element(f"{{{w}}}comment")
    comment.set(f"{{{w}}}id", cid)
    comment.set(f"{{{w}}}author", author)
    comment.set(f"{{{w}}}date", when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    comment.set(f"{{{w}}}initials", initials)
    p = etree.SubElement(comment, f"{{{w}}}p")
    etree.SubElement(etree.SubElement(p, f"{{{w}}}r"), f"{{{w}}}annotationRef")
    t = etree.SubElement(etree.SubElement(p, f"{{{w}}}r"), f"{{{w}}}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return comment


def _anchor(p: Element, w: str, cid: str) -> None:
    """The comment's range around the paragraph's whole content, its reference at the end;
    in a content control, the comment at the paragraph's start (its range empty): LibreOffice
    (7.4) drops the text of a paragraph in a block content control that a range runs
    through when it saves the file, and keeps it with a comment at its start."""
    at = next((i + 1 for i, child in enumerate(p) if local(child.tag) == "pPr"), 0)
    start, end = _mark(w, "commentRangeStart", cid), _mark(w, "commentRangeEnd", cid)
    run = etree.Element(f"{{{w}}}r")
    run.append(_mark(w, "commentReference", cid))
    if any(local(a.tag) == "sdtContent" for a in p.iterancestors()):
        for k, el in enumerate((start, end, run)):
            p.insert(at + k, el)
    else:
        p.insert(at, start)
        p.extend((end, run))


def _mark(w: str, name: str, cid: str) -> Element:
    el = etree.Element(f"{{{w}}}{name}")
    el.set(f"{{{w}}}id", cid)
    return el


__all__ = ["COMMENTS_TYPE", "add_comments"]
