"""The one document model every stage shares: what readers produce, what merge
turns it into, what writers render. Plain frozen dataclasses; no file formats."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A run of update text with the emphasis the contributor gave it."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Place:
    """Where something stands in a submission, for messages a person can act on."""

    file: str
    where: str = ""  # "paragraph 12 ('Operation MONACO…')" or "sheet 'Returns', row 7"

    def __str__(self) -> str:
        return f"{self.file}: {self.where}" if self.where else self.file


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
        own = 1 if self.text.strip() else 0
        return own + sum(c.count() for c in self.children)


@dataclass(frozen=True)
class Contribution:
    """An area's updates against one commitment, optionally for one district or place."""

    commitment: str  # plan id, "1.3"
    updates: tuple[Update, ...]
    district: str | None = None
    place: Place | None = field(default=None, compare=False)

    def count(self) -> int:
        return sum(u.count() for u in self.updates)


@dataclass(frozen=True)
class Submission:
    """What one file said: which area sent it and its contributions."""

    file: str
    format: str  # "docx", "xlsx"
    area: str | None  # the plan's area name, None when it could not be told
    contributions: tuple[Contribution, ...]
    modified: str | None = None  # the document's own last-saved time, ISO 8601

    def count(self) -> int:
        return sum(c.count() for c in self.contributions)


@dataclass(frozen=True)
class Problem:
    """An error stops the build; a warning is reported and the build goes on."""

    severity: str  # "error" or "warning"
    message: str
    place: Place | None = None
    hint: str = ""

    def __str__(self) -> str:
        head = f"{self.place}: " if self.place else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{self.severity}: {head}{self.message}{tail}"


class InputError(Exception):
    """A file that cannot be read at all; carries the problems found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


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
