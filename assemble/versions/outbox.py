"""The returns sent out for a quarter, as ``assemble templates`` wrote them: recorded
beside them, so that a return which comes back as it went out is known.

Each pre-filled return is recorded with its area, when it was written, the SHA-256 of
its bytes and ``content``, a digest of what it reads as: its updates (their words,
labels and nesting) under their commitments and districts, as a build reads them. A
return that comes back with those bytes, or opened and saved again without a word
changed (other bytes, the same content), is the return sent out, not filled in.

The record is ``sent-out.json`` in the returns folder (``outputs/<quarter>/returns/``).
Writing returns again (``--overwrite``) adds to it: a return sent out before may
still come back.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from ..assembly import SentOut
from ..model import Submission, Update

RECORD = "sent-out.json"


def content(submissions: Sequence[Submission]) -> str:
    """A digest of what a file's submissions say: area, commitments, districts, and each
    update's label, words (spacing aside) and nesting; not its formatting or places."""

    def tree(u: Update) -> list[object]:
        return [u.label or "", " ".join(u.text.split()), [tree(c) for c in u.children]]

    shape = [[s.area, [[c.commitment, c.district or "", [tree(u) for u in c.updates]] for c in s.contributions]]
             for s in submissions]
    return hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode("utf-8")).hexdigest()


def load(folder: Path) -> tuple[SentOut, ...]:
    """What the returns folder records as sent out; nothing when it records nothing (or
    the record cannot be read: then no return is known as sent out)."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        return tuple(SentOut(str(d["file"]), str(d["area"]), str(d["sent"]), str(d["sha256"]),
                             str(d.get("content", "")), int(d.get("updates", 0)))
                     for d in data["returns"])
    except (OSError, ValueError, KeyError, TypeError):
        return ()


def save(folder: Path, sent: Sequence[SentOut]) -> Path:
    """Add `sent` to the folder's record (replaced whole, never half-written); its path."""
    kept = [s for s in load(folder) if s not in sent]
    path = folder / RECORD
    tmp = folder / f".{RECORD}.tmp"
    try:
        tmp.write_text(json.dumps({"returns": [asdict(s) for s in (*kept, *sent)]}, indent=1, ensure_ascii=False)
                       + "\n", encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
