"""Comments added to a Word document's paragraphs, in its own XML: the comments part
(word/comments.xml, made with its relationship and content type when the document has
none, extended when it has) and, in the document, each comment's range around the
paragraph's whole content — commentRangeStart after its properties, commentRangeEnd
and a run holding the commentReference at its end — so that any paragraph can carry
one: text in hyperlinks, fields, content controls, text boxes and table cells too (in
a block content control, at the paragraph's start: see ``_anchor``).

A paragraph is found by its position among every w:p of the main part in document
order (what ``readers.docx.paragraphs`` gives for each place). The document's own
comments, and every other part, are left as they are — but for the unit's own comments
of an earlier copy, sent back with them still in it, which ``remove_signed`` takes out
(with their anchors, and their entries in the parts Word keeps beside the comments), so
that comments never stack from one round to the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from lxml import etree

from .repack import CannotEdit, Element, Repack, local, namespace

COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
_BESIDE = ("commentsExtended", "commentsIds", "commentsExtensible")  # Word's parts kept beside the comments


def add_comments(package: Repack, main: str, comments: Mapping[int | None, Sequence[str]], author: str,
                 initials: str, when: dt.datetime) -> int:
    """Each text of `comments` a comment by `author`, dated `when`, on the paragraph at that
    position (None: the body's first paragraph); how many were added. The texts are
    written as given."""
    if not any(comments.values()):
        return 0
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


def remove_signed(package: Repack, main: str, signed: Callable[[str], bool]) -> int:
    """Take out the comments whose text `signed` says is the unit's and whose reference is in
    the main part, with their ranges and references; how many were taken out."""
    part = package.related(main, "comments")
    root = package.xml(part) if part else None
    document = package.xml(main)
    if part is None or root is None or document is None:
        return 0
    w = namespace(document)
    referred = {el.get(f"{{{w}}}id") for el in document.iter(f"{{{w}}}commentReference")}
    gone: set[str] = set()
    paragraphs: set[str] = set()  # the w14:paraId of their paragraphs, as the parts beside name them
    for comment in list(root.iter(f"{{{w}}}comment")):
        cid = comment.get(f"{{{w}}}id") or ""
        if cid in referred and signed("".join(t.text or "" for t in comment.iter(f"{{{w}}}t"))):
            gone.add(cid)
            paragraphs |= {p.get(_PARA_ID) for p in comment.iter(f"{{{w}}}p") if p.get(_PARA_ID)}
            comment.getparent().remove(comment)
    if not gone:
        return 0
    for el in list(document.iter(*(f"{{{w}}}{n}" for n in ("commentRangeStart", "commentRangeEnd",
                                                           "commentReference")))):
        if el.get(f"{{{w}}}id") in gone:
            parent = el.getparent()
            parent.remove(el)
            if local(parent.tag) == "r" and all(local(child.tag) == "rPr" for child in parent):
                parent.getparent().remove(parent)  # the run that held the reference alone
    package.put(main, document)
    package.put(part, root)
    _forget(package, main, paragraphs)
    return len(gone)


def _forget(package: Repack, main: str, paragraphs: set[str]) -> None:
    """The entries of comments taken out, in the parts Word keeps beside them: by their
    paragraphs' ids, and by the durable ids those give; a reply to one made a comment."""
    durable: set[str] = set()
    for kind in _BESIDE:
        part = package.related(main, kind)
        root = package.xml(part) if part else None
        if part is None or root is None:
            continue
        changed = False
        for el in list(root):
            attrs = {local(k): (k, v) for k, v in el.attrib.items()}
            para, durable_id = attrs.get("paraId", ("", ""))[1], attrs.get("durableId", ("", ""))[1]
            if (para and para in paragraphs) or (durable_id and durable_id in durable):
                if durable_id:
                    durable.add(durable_id)
                root.remove(el)
                changed = True
            elif attrs.get("paraIdParent", ("", ""))[1] in paragraphs:
                del el.attrib[attrs["paraIdParent"][0]]
                changed = True
        if changed:
            package.put(part, root)


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
