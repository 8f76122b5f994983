"""Work counted, not timed: what reading a file does, counted through the libraries the
readers call. A count is the same however loaded the machine is, so a bound on it
fails only when the work itself runs away (a bomb inflated, every row of a claimed
million visited, a part read over and over); how fast the work goes is ``make bench``'s."""

from __future__ import annotations

import contextlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import PIL.Image
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from assemble.readers import xlsx


@dataclass
class Work:
    opened: int = 0  # parts of a package opened (zipfile)
    inflated: int = 0  # bytes unpacked from them
    rows: int = 0  # rows openpyxl gives of a sheet, those it stores and (as no cells) those between
    cells: int = 0  # cells the Excel reader looked at (its display of each)
    pictures: int = 0  # pictures opened to be decoded (Pillow)


@contextlib.contextmanager
def counted(monkeypatch) -> Iterator[Work]:
    """Count the work done inside the block (by this process)."""
    work = Work()
    open_part, read, read1 = zipfile.ZipFile.open, zipfile.ZipExtFile.read, zipfile.ZipExtFile.read1
    iter_rows, open_picture, display = ReadOnlyWorksheet.iter_rows, PIL.Image.open, xlsx.display

    def opening(self, *args, **kwargs):
        work.opened += 1
        return open_part(self, *args, **kwargs)

    def reading(self, *args, **kwargs):
        data = read(self, *args, **kwargs)
        work.inflated += len(data)
        return data

    def reading1(self, *args, **kwargs):
        data = read1(self, *args, **kwargs)
        work.inflated += len(data)
        return data

    def rows(self, *args, **kwargs):
        for row in iter_rows(self, *args, **kwargs):
            work.rows += 1
            yield row

    def cell(c):
        work.cells += 1
        return display(c)

    def picture(*args, **kwargs):
        work.pictures += 1
        return open_picture(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "open", opening)
        patch.setattr(zipfile.ZipExtFile, "read", reading)
        patch.setattr(zipfile.ZipExtFile, "read1", reading1)
        patch.setattr(ReadOnlyWorksheet, "iter_rows", rows)
        patch.setattr(PIL.Image, "open", picture)
        patch.setattr(xlsx, "display", cell)
        yield work


def unpacked(path) -> tuple[int, int]:
    """A package's parts and the bytes they unpack to, as its zip directory says."""
    with zipfile.ZipFile(path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
    return len(infos), sum(i.file_size for i in infos)
