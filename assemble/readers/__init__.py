"""Submission readers, one module per format, looked up by file extension."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Problem, Submission
from ..plan import Plan
from . import docx, xlsx

Reader = Callable[[Path, Plan], tuple[list[Submission], list[Problem]]]

READERS: dict[str, Reader] = {
    ".docx": docx.read,
    ".docm": docx.read,
    ".xlsx": xlsx.read,
    ".xlsm": xlsx.read,
}

__all__ = ["READERS", "Reader"]
