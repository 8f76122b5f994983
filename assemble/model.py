"""The one document model every stage shares: what a return says once resolved
against the plan (Submission) and what merge turns the quarter into (Merged,
then Report). Plain frozen dataclasses; no file formats, no layouts, no plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Place


def is_update(text: str) -> bool:
    """The one rule for counting: a bullet with text is an update; a bare label
    ("Colchester:" over its updates) is structure."""
    return bool(text.strip())


@dataclass(frozen=True)
class Span:
    """A run of update text with the emphasis the contributor gave it."""

    text: str
    bold: bool = False
    italic: bool = False


def spans_text(spans: tuple[Span, ...]) -> str:
    return "".join(s.text for s in spans)


def drop_prefix(spans: tuple[Span, ...], n: int) -> tuple[Span, ...]:
    """The spans without their first n characters."""
    out: list[Span] = []
    for s in spans:
        if n >= len(s.text):
            n -= len(s.text)
            continue
        out.append(Span(s.text[n:], s.bold, s.italic))
        n = 0
    return tuple(out)


def strip_spans(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """Trim outer whitespace, drop empty spans and join neighbours of one style."""
    merged: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (s.bold, s.italic):
            merged[-1] = Span(merged[-1].text + s.text, s.bold, s.italic)
        else:
            merged.append(s)
    while merged and not merged[0].text.strip():
        merged.pop(0)
    while merged and not merged[-1].text.strip():
        merged.pop()
    if merged:
        merged[0] = Span(merged[0].text.lstrip(), merged[0].bold, merged[0].italic)
        merged[-1] = Span(merged[-1].text.rstrip(), merged[-1].bold, merged[-1].italic)
    return tuple(merged)


@dataclass(frozen=True)
class Update:
    """One bullet: its text, an optional bold label ("Thurrock"), nested updates."""

    spans: tuple[Span, ...]
    children: tuple[Update, ...] = ()
    label: str | None = None
    place: Place | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    def count(self) -> int:
        """Updates in this tree; a bare label ("Colchester:") is structure, not an update."""
        return is_update(self.text) + sum(c.count() for c in self.children)

    def characters(self) -> int:
        """The text in this tree, labels too: what the document has to lay out."""
        return len(self.text) + len(self.label or "") + sum(c.characters() for c in self.children)


@dataclass(frozen=True)
class Contribution:
    """An area's updates against one commitment, optionally for one district or place."""

    commitment: str  # plan id, "1.3"
    updates: tuple[Update, ...]
    district: str | None = None
    place: Place | None = field(default=None, compare=False)

    def count(self) -> int:
        return sum(u.count() for u in self.updates)

    def characters(self) -> int:
        return sum(u.characters() for u in self.updates) + len(self.district or "")


@dataclass(frozen=True)
class Submission:
    """What one file said: which area sent it and its contributions."""

    file: str
    format: str  # "docx", "xlsx"
    area: str | None  # the plan's area name, None when it could not be told
    contributions: tuple[Contribution, ...]
    modified: str | None = None  # the document's own last-saved time, ISO 8601
    sent: str | None = None  # when the email it came attached to was sent, ISO 8601; None for a file
    sender: str = ""  # who sent that email: 'North LPA Admin <north.lpa@essex.police.uk>'

    def count(self) -> int:
        return sum(c.count() for c in self.contributions)

    def characters(self) -> int:
        return sum(c.characters() for c in self.contributions)


# --- the merged document, what writers render ---------------------------------


@dataclass(frozen=True)
class Item:
    """A bullet in the merged document; `label` is shown bold with a colon."""

    spans: tuple[Span, ...]
    children: tuple[Item, ...] = ()
    label: str | None = None
    area: str | None = None  # the area that sent a top-level item: for change logs, not shown

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class SubHeading:
    """A plain line introducing a force department's updates."""

    text: str
    area: str | None = None


Block = Item | SubHeading


def count_items(blocks: tuple[Block, ...] | list[Block]) -> int:
    """Updates in merged blocks, by the same rule as ``Update.count``."""
    return sum(is_update(b.text) + count_items(b.children) for b in blocks if isinstance(b, Item))


@dataclass(frozen=True)
class CommitmentSection:
    id: str
    text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PrioritySection:
    number: int
    title: str
    lead_in: str
    commitments: tuple[CommitmentSection, ...]

    @property
    def heading(self) -> str:
        return f"Priority {self.number} – {self.title}"


@dataclass(frozen=True)
class Meta:
    """Everything a writer needs around the content, all derived."""

    plan_title: str  # "Police and Crime Plan 2016-2020"
    document: str  # "Quarterly Update"
    quarter: str  # "2020-21-Q2"
    quarter_short: str  # "2020/21 Q2"
    quarter_long: str  # "Quarter 2 – 2020/21"
    data_to: str  # "September 2020"
    produced: str  # "October 2020"
    version: str  # "1.0"
    marking: str  # "OFFICIAL"
    unit: str
    organisation: str
    timestamp: str = "2020-10-01T00:00:00+00:00"  # every date written into outputs: reproducible
    draft: bool = False
    draft_label: str = "DRAFT"  # the word a draft carries on every page ("PREVIEW" for make preview)
    templates: tuple[tuple[str, str], ...] = ()  # (template, version) that shaped it: for document properties

    @property
    def running_header(self) -> str:
        return f"{self.plan_title} – {self.document} {self.quarter_short}"

    @property
    def title(self) -> str:
        return f"{self.plan_title} – {self.document} {self.quarter_short}"


@dataclass(frozen=True)
class Report:
    meta: Meta
    priorities: tuple[PrioritySection, ...]


@dataclass(frozen=True)
class Pagination:
    """Where the PDF's pages fell: the Word contents repeats these ranges."""

    pages: int
    ranges: dict[int, str]  # priority number -> "3-5" or "8"


# --- the assembled quarter --------------------------------------------------------


@dataclass(frozen=True)
class LeftOut:
    """Updates read but not placed in the document, and why."""

    file: str
    updates: int
    reason: str
    place: Place | None = None
    superseded: bool = False  # a newer file of the same area replaced them: expected, a warning
    commitment: str | None = None  # the commitment they were for, when it is one
    clash: bool = False  # set aside where files of the area clash (none clearly newer): the clash's error says so


@dataclass(frozen=True)
class Clash:
    """Several files of one area carry a commitment and none is clearly newer."""

    area: str
    commitment: str
    files: tuple[str, ...]  # the files tied as the newest


@dataclass(frozen=True)
class Merged:
    """The quarter in the plan's order, with what could not be placed."""

    priorities: tuple[PrioritySection, ...]
    left_out: tuple[LeftOut, ...] = ()
    clashes: tuple[Clash, ...] = ()
