"""What a run prints, and where: results on stdout, problems and errors on stderr.

Results are what a run is for (the file table, the coverage table, the counts,
what was written); problems and errors are what a person must act on, one line
each naming the file and the place. Colour only on a terminal, never with
NO_COLOR set or when the output is piped (rich decides); a progress bar on
stderr for any build still running after about two seconds, on a terminal only.
Every text that comes from a submission is printed as it is, never as markup.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import TextIO

from rich import box
from rich.console import Console as RichConsole
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .. import clock
from ..assembly import Assembly
from ..coverage import Coverage, notes
from ..coverage import of as coverage_of
from ..errors import AssembleError, Problem, Severity
from ..text import plural
from ..verdicts import Kind, Verdict, entry, sent_by, unread_by_area

PROGRESS_AFTER = 2.0  # s: a build still running by then gets a progress bar
_PIPED_WIDTH = 200  # columns when not a terminal: lines are never wrapped for a log
_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow"}


class Console:
    """Two rich consoles: `out` for results, `err` for problems, errors and progress."""

    def __init__(self, out: TextIO | None = None, err: TextIO | None = None):
        self.out = _console(out, stderr=False)
        self.err = _console(err, stderr=True)

    # --- plain lines -------------------------------------------------------------

    def result(self, text: str = "", style: str | None = None) -> None:
        self.out.print(Text(text, style=style or ""), soft_wrap=True)

    def notice(self, text: str) -> None:
        """A line on stderr that is not a problem of the inputs (a run's own news)."""
        self.err.print(Text(text), soft_wrap=True)

    def problem(self, problem: Problem) -> None:
        line = Text("  ")
        line.append(str(problem.severity), style=_STYLE[problem.severity])
        line.append(str(problem)[len(problem.severity) :])
        self.err.print(line, soft_wrap=True)

    def error(self, exc: AssembleError) -> None:
        first, *more = exc.lines()
        line = Text.assemble(("error", _STYLE[Severity.ERROR]), first[len("error") :])
        self.err.print(line, soft_wrap=True)
        for text in more:
            self.err.print(Text(text), soft_wrap=True)

    # --- what a run read ------------------------------------------------------------

    def reading(self, asm: Assembly, cov: Coverage) -> None:
        """The quarter, a line per file, every problem, the coverage and the counts."""
        q = asm.quarter
        self.result(f"{q.name}: {q.long}, data to {q.data_to} ({asm.plan.file})", style="bold")
        self.status(asm)
        for problem in asm.problems:
            self.problem(problem)
        self.result()
        self.out.print(coverage_table(cov), soft_wrap=True)
        for title, items in notes(cov):
            if len(items) <= 1:
                self.result(f"{title}: {items[0] if items else 'none'}")
            else:
                self.result(f"{title}:")
                for item in items:
                    self.result(f"  {item}")
        self.result()
        self.result(f"{asm.counts_line()}; {plural(len(asm.errors), 'error')}, "
                    f"{plural(len(asm.warnings), 'warning')}")

    def changes(self, before: Assembly | None, asm: Assembly, landed: set[str]) -> None:
        """What a rebuild in watch found, against the build before it: each landed file's line
        of the returns table and its problems, any other file's problems that appeared or
        cleared, and the counts. The full table stays in check and report.md."""
        if before is None:
            self.reading(asm, coverage_of(asm))
            return
        now = {str(p): p for p in asm.problems}
        then = dict.fromkeys(str(p) for p in before.problems)
        for name in sorted(landed, key=str.casefold):
            found = [f for f in asm.files if f.of(name)]  # an email: each return it carried
            if not found:
                self.result(f"{name}: gone")
            for f in found:  # a file split by area has a line for each
                self.result(file_line(f, asm))
            for problem in asm.problems:
                if _file_of(problem) == name:
                    self.problem(problem)
        for text, problem in now.items():  # what landing them changed elsewhere
            if text not in then and _file_of(problem) not in landed:
                self.problem(problem)
        for text in then:  # what is no longer so, the landed files' own too
            if text not in now:
                self.notice(f"  cleared: {text}")
        self.result(f"{asm.counts_line()}; {plural(len(asm.errors), 'error')}, "
                    f"{plural(len(asm.warnings), 'warning')}")

    def status(self, asm: Assembly) -> None:
        """Who has sent: every area the plan expects, its returns, and who has not sent yet.
        A file that was not read (refused, misfiled) counts as sent: its area is not chased,
        and the line says what to do with it instead."""
        self.out.print(returns_table(asm), soft_wrap=True)
        for line in sent_lines(asm):
            self.result(line)

    def released(self, asm: Assembly, cov: Coverage, version: str) -> None:
        """What leadership receives: the version, its updates, who sent nothing, the warnings that stand."""
        q = asm.quarter
        self.result(f"{q.name}: released v{version} to leadership ({asm.plan.file})", style="bold")
        self.result(f"  {asm.counts_line()}")
        silent = ", ".join(cov.silent) or "none"
        self.result(f"  areas that sent nothing: {silent}")
        standing = asm.warnings
        stand = "still stands" if len(standing) == 1 else "still stand"
        self.result(f"  {plural(len(standing), 'warning')} {stand}" + (":" if standing else ""))
        for problem in standing:
            self.result(f"    {problem}")
        self.result("the files leadership receives:")

    # --- progress ---------------------------------------------------------------------

    @contextlib.contextmanager
    def progress(self) -> Iterator[Steps]:
        """A build's steps: shown on a terminal only, once it has run for PROGRESS_AFTER s."""
        steps = Steps(self.err if self.err.is_terminal else None)
        try:
            yield steps
        finally:
            steps.stop()


class Steps:
    """What a build is doing, drawn as a bar on stderr once the build has run for a while.

    Called with the step now under way ("reading North LPA.docx", "laying out
    the PDF"); the bar counts the steps begun against `expect()`. While the run
    prints its results the bar is paused, so the two never interleave."""

    def __init__(self, console: RichConsole | None):
        self._lock = threading.Lock()
        self._console = console
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._what = "starting"
        self._done = 0
        self._total: int | None = None
        self._paused = False
        self.shown = threading.Event()  # set once the bar is on the screen
        self._timer: threading.Timer | None = None
        if console is not None:
            self._timer = threading.Timer(PROGRESS_AFTER, self._show)
            self._timer.daemon = True
            self._timer.start()

    def expect(self, steps: int) -> None:
        """How many steps the whole build will have, once that is known."""
        with self._lock:
            self._total = steps
            self._update()

    def __call__(self, what: str) -> None:
        with self._lock:
            self._done += 1
            self._what = what
            self._update()

    def pause(self) -> None:
        """Take the bar away while results are printed."""
        with self._lock:
            self._paused = True
            self._close()

    def resume(self) -> None:
        with self._lock:
            self._paused = False
        self._show()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._console = None
            self._close()

    def _show(self) -> None:
        with self._lock:
            if self._console is None or self._paused or self._bar is not None:
                return
            early = self._timer is not None and self._timer.is_alive()
            if early and threading.current_thread() is not self._timer:
                return  # not yet PROGRESS_AFTER s: the timer will show it
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                                 console=self._console, transient=True)
            self._task = self._bar.add_task(self._what, total=self._total, completed=self._done)
            self._bar.start()
            self.shown.set()

    def _update(self) -> None:
        if self._bar is not None and self._task is not None:  # drawn at once: the step is news
            self._bar.update(self._task, description=self._what, completed=self._done, total=self._total,
                             refresh=True)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
        self._bar = self._task = None


# --- tables -------------------------------------------------------------------------------


def returns_table(asm: Assembly) -> Table:
    """A row per return, grouped by area in the plan's order; an area with none says so.
    A file that was not read is under the area its name gives, saying why not."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Area")
    table.add_column("File", overflow="fold")
    table.add_column("Format")
    table.add_column("Updates", justify="right")
    table.add_column("Not read", justify="right")
    table.add_column("Saved")
    emails = any(f.message for f in asm.files)  # who sent each return and when, once returns come by email
    if emails:
        table.add_column("Sent", overflow="fold")
        table.add_column("From", overflow="fold")
    saved = {s.file: s.modified for s in asm.submissions}
    areas = [a.name for a in asm.plan.areas]
    for area in [*areas, None]:
        files = [f for f in asm.files if f.area == area or (area is None and f.area not in areas)]
        for i, f in enumerate(files):
            name = (area or "(area unknown)") if i == 0 else ""
            sent = (clock.shown(f.sent), Text(f.sender)) if emails else ()
            if f.read:
                table.add_row(Text(name), Text(f.file), f.format, str(f.updates), str(f.not_read),
                              clock.shown(saved.get(f.file)), *sent)
            else:
                table.add_row(Text(name), Text(f.file), f.format, Text(str(f.kind), style="yellow"), "", "", *sent)
        if not files and area is not None:
            contact = asm.plan.area(area)
            table.add_row(Text(area), Text("not sent yet" + (f" ({contact.contact})" if contact and contact.contact
                                                            else ""), style="dim"), "", "", "", "",
                          *(("", "") if emails else ()))
    return table


def file_line(f: Verdict, asm: Assembly) -> str:
    """A file's line of the returns table, on its own: 'North LPA: North LPA.docx (docx): 20 updates, …'."""
    head = f"{f.area or '(area unknown)'}: {f.file} ({f.format})"
    sent = (f", sent {clock.shown(f.sent)}" if f.sent else "") + (f" by {f.sender}" if f.sender else "")
    if not f.read:
        return f"{head}: {f.kind}{sent}"
    saved = next((clock.shown(s.modified) for s in asm.submissions if s.file == f.file), "")
    return (f"{head}: {plural(f.updates, 'update')}, {f.not_read} not read" + (f", saved {saved}" if saved else "")
            + sent)


def _file_of(problem: Problem) -> str | None:
    """The file a problem is about, by its name alone (a file loose in inputs/ too; the email
    a return came attached to)."""
    return entry(problem.place.file) if problem.place else None


def sent_lines(asm: Assembly) -> list[str]:
    """How many areas have sent, who sent something that was not read, and who to chase."""
    areas = asm.plan.areas
    waiting = [a for a in areas if not sent_by(asm.files, a.name)]
    line = f"{len(areas) - len(waiting)} of {plural(len(areas), 'area')} have sent a return"
    if waiting:
        line += "; waiting for " + ", ".join(_with_contact(a.name, a.contact) for a in waiting)
    lines = [line]
    for area, unread in unread_by_area(asm.files).items():
        if not any(v.read for v in sent_by(asm.files, area)):
            said = "; ".join(f"'{v.file}' {v.kind}" + (f" ({v.why})" if v.kind is Kind.REFUSED else "")
                             for v in unread)
            lines.append(f"{area} sent, but nothing of it was read: {said}")
    return lines


def _with_contact(name: str, contact: str | None) -> str:
    return f"{name} ({contact})" if contact else name


def coverage_table(cov: Coverage) -> Table:
    """Updates by area and priority, with totals; '-' for none."""
    table = Table(title="Updates by area and priority", title_justify="left", title_style="bold",
                  box=box.SIMPLE, show_edge=False, pad_edge=False, show_footer=True,
                  header_style="bold", footer_style="bold")
    totals = cov.priority_totals()
    table.add_column("Area", footer="Total")
    for (n, _), total in zip(cov.priorities, totals, strict=True):
        table.add_column(f"P{n}", justify="right", footer=_cell(total))
    table.add_column("Total", justify="right", footer=str(cov.total))
    for area, counts in cov.rows:
        table.add_row(Text(area), *(_cell(n) for n in counts), str(sum(counts)))
    return table


def _cell(n: int) -> str:
    return str(n) if n else "-"


def _console(file: TextIO | None, stderr: bool) -> RichConsole:
    # NO_COLOR (no-color.org) means no styling codes at all, bold included: rich alone drops only colours
    console = RichConsole(file=file, stderr=stderr, highlight=False, markup=False, emoji=False)
    if os.environ.get("NO_COLOR"):
        console = RichConsole(file=file, stderr=stderr, highlight=False, markup=False, emoji=False,
                              color_system=None)
    if not console.is_terminal:
        console.width = max(console.width, _PIPED_WIDTH)
    return console
