"""Bullets typed inside one paragraph, after line breaks (Shift+Enter): the paragraphs
typed in it, each line a typed marker opens a bullet of its own (``nesting.typed_lines``),
in its paragraph's place under its own opening words. A heading's lines are one line."""

from __future__ import annotations

from dataclasses import replace

from ..model import Span, spans_text
from ..records import Block, Paragraph
from ..text import opening
from .nesting import is_label, typed_lines


def typed_blocks(blocks: tuple[Block, ...]) -> list[Block]:
    """The blocks with each paragraph holding line breaks as the lines typed in it."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and any("\n" in s.text or "\r" in s.text for s in block.spans):
            out += lines_of(block)
        else:
            out.append(block)
    return out


def lines_of(para: Paragraph) -> list[Paragraph]:
    """A paragraph with line breaks (Shift+Enter) as the paragraphs typed in it: each line
    a typed marker opens is a bullet of its own (``nesting.typed_lines``), in its paragraph's
    place under its own opening words; a heading's lines are one line."""
    if para.heading is not None:
        return [replace(para, spans=one_line(para.spans))]
    given = para.marker or (para.number if para.level is not None else "")  # Word's bullet is no typed marker
    pieces = typed_lines(para.spans, given)
    first = replace(para, spans=pieces[0].spans, marker=para.marker if given else pieces[0].marker)
    if len(pieces) == 1:
        return [first]
    # After a plain line, bullets are at their own level (a label's offset nests them under it).
    shift = para.level if para.level is not None else (-1 if is_label(spans_text(pieces[0].spans)) else 0)
    out = [replace(first, notes=())]
    for k, piece in enumerate(pieces[1:], start=1):
        text = spans_text(piece.spans).strip()
        out.append(Paragraph(replace(para.place, words=opening(text), kind="bullet"), piece.spans,
                             max(0, min(piece.depth + shift, 2)), para.style, "", piece.marker, None, para.cell,
                             para.notes if k == len(pieces) - 1 else ()))
    return out


def one_line(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    return tuple(Span(s.text.replace("\r\n", " ").replace("\r", " ").replace("\n", " "), s.bold, s.italic)
                 for s in spans)
