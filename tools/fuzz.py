"""Fuzz the submission readers for a set time (`make fuzz`).

Hypothesis draws mutations of the sample submissions: attribute values, text
and elements in their XML parts, bytes inside parts, the parts themselves
(dropped, renamed, duplicated, truncated, swapped) and the raw zip. Each mutant
is written to a file, read by the reader for its extension and resolved against
the plan, as a build does. A reported input error (InputError) is the right
answer to a broken file; any other exception (a bug in assemble: readers.read
raises it as an InternalError naming the file), or a read taking longer than
--timeout seconds, is a failure: the input is saved under --out with its
traceback, and the run exits 1. A failure found becomes a test in tests/.

    .venv/bin/python tools/fuzz.py --seconds 600
    .venv/bin/python tools/fuzz.py --seconds 60 --seed 7             # repeatable
    .venv/bin/python tools/fuzz.py --replay .fuzz/failures/*.docx   # re-run saved failures

Beside failures/ it keeps, for a look rather than as a failure, slow/: inputs
that took over 5 seconds to read.

A read that lets a library's warning or printed line through, or a message that
carries an exception's own text or a full path, is a failure too (a Leak): the
user must never see them.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import re
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hyp_seed
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assemble import readers  # noqa: E402
from assemble.errors import InputError, InternalError  # noqa: E402
from assemble.plan.plans import Plans  # noqa: E402
from assemble.quarter import parse_quarter  # noqa: E402
from assemble.readers import READERS  # noqa: E402
from assemble.resolve import resolve  # noqa: E402

SEEDS = ROOT / "inputs" / "2020-21-Q2"
KEEP_PER_FAILURE = 3  # inputs saved for each distinct failure
SLOW, KEEP_SLOW = 5.0, 20  # reads slower than SLOW seconds are kept (up to KEEP_SLOW) to look at

# Values that have broken parsers before: empty, signs, huge numbers, odd
# dates, paths out of the package, cell references off the sheet, markup.
VALUES = [
    "", " ", "0", "-1", "1", "2", "3", "8", "9", "10", "255", "-2147483649", "4294967296",
    "99999999999999999999999", "1e308", "-1e308", "NaN", "inf", "1.5", "x", "true", "false", "on", "off",
    "auto", "none", "A1", "A0", "A1048577", "XFD1", "XFE1", "ZZZZ99999999", "A1:B2", "B2:A1", "$A$1",
    "Sheet1!A1", "1899-12-30T00:00:00Z", "9999-12-31T23:59:59Z", "0000-00-00T00:00:00Z",
    "2020-13-45T25:61:61Z", "20201001", "../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
    "http://127.0.0.1/x", "rId1", "rId999", "#", "é", "🚓", "&amp;", "&lt;", "&#0;", "&#x10FFFF;", "&#xD800;",
    "&undefined;", "%s%n", "{{7*7}}", "'", "\"", "<", "]]>", "\t", "General", "0.00%", "dd/mm/yyyy",
    "[Red]#,##0", "@", ";;;",
]


@dataclass
class Mutant:
    suffix: str
    parts: list[tuple[str, bytes]]
    raw_edits: list[tuple[str, int, bytes]] = field(default_factory=list)  # on the zip bytes
    log: list[str] = field(default_factory=list)

    def serialise(self) -> bytes:
        buf = io.BytesIO()
        with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            warnings.simplefilter("ignore")  # duplicate names are a mutation, not a mistake
            for name, data in self.parts:
                zf.writestr(name, data)
        data = bytearray(buf.getvalue())
        for kind, where, chunk in self.raw_edits:
            pos = where % (len(data) + 1)
            if kind == "flip" and data:
                data[pos % len(data)] ^= chunk[0] or 1
            elif kind == "insert":
                data[pos:pos] = chunk
            elif kind == "delete":
                del data[pos:pos + len(chunk)]
            elif kind == "truncate":
                del data[pos:]
        return bytes(data)


def _load_seeds(folder: Path) -> list[tuple[str, str, list[tuple[str, bytes]]]]:
    seeds = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in READERS and not path.is_symlink():
            with zipfile.ZipFile(path) as zf:
                seeds.append((path.name, path.suffix.lower(), [(i.filename, zf.read(i)) for i in zf.infolist()]))
    return seeds


# --- mutations ----------------------------------------------------------------------

_ATTR = re.compile(rb'(\s[\w:]+=)("[^"]*"|\'[^\']*\')')
_TEXT = re.compile(rb">([^<]+)<")
_EMPTY_EL = re.compile(rb"<[\w:]+(?:\s[^<>]*)?/>")
_BLOCK = re.compile(
    rb"<(w:p|w:r|w:tbl|w:tr|w:tc|row|c|si|sheet|Relationship|Override|Default)\b[^>]*?(?:/>|>.*?</\1>)", re.S)
_OPEN = re.compile(rb"<[\w:]+(?:\s[^<>]*)?>")


def _xml_parts(m: Mutant) -> list[int]:
    return [i for i, (name, data) in enumerate(m.parts) if name.endswith((".xml", ".rels")) and data]


def _pick(draw, matches: list):
    return matches[draw(st.integers(0, len(matches) - 1))] if matches else None


def _value(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.sampled_from(VALUES)).encode()
    text = draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
    return escape(text, {'"': "&quot;"}).encode("utf-8")


def mutate_attribute(draw, m: Mutant) -> None:
    i = _pick(draw, _xml_parts(m))
    if i is None:
        return
    name, data = m.parts[i]
    match = _pick(draw, list(_ATTR.finditer(data)))
    if match:
        value = _value(draw)
        m.parts[i] = (name, data[:match.start(2)] + b'"' + value + b'"' + data[match.end(2):])
        m.log.append(f"attribute {match.group(1).strip().decode(errors='replace')} in {name} = {value[:40]!r}")


def mutate_text(draw, m: Mutant) -> None:
    i = _pick(draw, _xml_parts(m))
    if i is None:
        return
    name, data = m.parts[i]
    match = _pick(draw, list(_TEXT.finditer(data)))
    if match:
        value = _value(draw) * draw(st.sampled_from([1, 1, 1, 2, 1000]))
        m.parts[i] = (name, data[:match.start(1)] + value + data[match.end(1):])
        m.log.append(f"text in {name} = {value[:40]!r}")


def mutate_element(draw, m: Mutant) -> None:
    """Delete, duplicate or move an element, or drop one start tag."""
    i = _pick(draw, _xml_parts(m))
    if i is None:
        return
    name, data = m.parts[i]
    how = draw(st.sampled_from(["delete", "duplicate", "move", "unclose", "nest"]))
    if how == "unclose":
        match = _pick(draw, list(_OPEN.finditer(data)))
        if match:
            m.parts[i] = (name, data[:match.start()] + data[match.end():])
    else:
        matches = list(_BLOCK.finditer(data)) + list(_EMPTY_EL.finditer(data))
        match = _pick(draw, matches)
        if match is None:
            return
        el = match.group()
        rest = data[:match.start()] + data[match.end():]
        if how == "delete":
            data = rest
        elif how == "duplicate":
            data = data[:match.end()] + el * draw(st.sampled_from([1, 2, 50])) + data[match.end():]
        elif how == "move":
            target = _pick(draw, list(_BLOCK.finditer(rest)) + list(_EMPTY_EL.finditer(rest)))
            data = rest[:target.start()] + el + rest[target.start():] if target else rest
        else:  # nest the element inside itself, deeply
            depth = draw(st.sampled_from([2, 300]))
            open_tag = _OPEN.match(el)
            if open_tag and not el.endswith(b"/>"):
                end = el[el.rindex(b"</"):]
                data = data[:match.start()] + open_tag.group() * depth + el + end * depth + data[match.end():]
        m.parts[i] = (name, data)
    m.log.append(f"element {how} in {name}")


def mutate_bytes(draw, m: Mutant) -> None:
    i = draw(st.integers(0, len(m.parts) - 1))
    name, data = m.parts[i]
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[pos:pos + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[pos:]
    m.parts[i] = (name, bytes(data))
    m.log.append(f"bytes in {name}")


def mutate_parts(draw, m: Mutant) -> None:
    if not m.parts:
        return
    i = draw(st.integers(0, len(m.parts) - 1))
    name, data = m.parts[i]
    how = draw(st.sampled_from(["drop", "rename", "duplicate", "swap", "empty", "add", "case"]))
    if how == "drop":
        del m.parts[i]
    elif how == "rename":
        m.parts[i] = (draw(st.sampled_from([n for n, _ in m.parts] + ["x.xml", "word/document2.xml", "../evil.xml",
                                                                      "/abs.xml", "dir/", "a" * 300])), data)
    elif how == "duplicate":
        m.parts.append((name, data))
    elif how == "swap":
        j = draw(st.integers(0, len(m.parts) - 1))
        m.parts[i], m.parts[j] = (name, m.parts[j][1]), (m.parts[j][0], data)
    elif how == "empty":
        m.parts[i] = (name, b"")
    elif how == "add":
        m.parts.append((draw(st.sampled_from(["customXml/x.xml", "word/media/a.svg", "xl/vbaProject.bin"])),
                        draw(st.binary(max_size=64))))
    else:
        m.parts[i] = (name.upper(), data)
    m.log.append(f"part {how} {name}")


def mutate_zip(draw, m: Mutant) -> None:
    kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
    m.raw_edits.append((kind, draw(st.integers(0, 1 << 20)), draw(st.binary(min_size=1, max_size=32))))
    m.log.append(f"zip {kind}")


MUTATORS = [*[mutate_attribute] * 4, *[mutate_text] * 2, *[mutate_element] * 3,
            mutate_bytes, mutate_parts, mutate_zip]


# --- running ------------------------------------------------------------------------------


class Hang(BaseException):
    """A read that went past --timeout (a BaseException, so no reader can swallow it)."""


def _alarm(signum, frame):
    raise Hang()


@dataclass
class Stats:
    runs: int = 0
    ok: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # signature -> count
    slowest: float = 0.0
    slow: int = 0
    refusals: dict[str, int] = field(default_factory=dict)


def _signature(exc: BaseException) -> str:
    if isinstance(exc, InternalError) and exc.__cause__ is not None:
        exc = exc.__cause__  # where the bug is, not where it was named
    if isinstance(exc, Leak):
        general = re.sub(r"'[^']*'", "'…'", str(exc))
        return f"Leak: {general[:90]}"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/assemble/" in f.filename] or frames
    last = frames[-1] if frames else None
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
    deep = f"{Path(last.filename).name}:{last.lineno}" if last else "?"
    return f"{type(exc).__name__} at {where} (raised in {deep})"


class Leak(Exception):
    """Something a user would see that they must never: a library's warning or printed line,
    an exception's own text or a full path in a message."""


# Exception text in a message: a class name, a traceback, Python's own phrasing.
_RAW = re.compile(r"\b[A-Z]\w*(?:Error|Exception)\b|Traceback|object has no attribute|No such file|"
                  r"\[Errno|There is no item named|expected \w+ got|invalid literal for")


def read_and_resolve(path: Path, plan) -> list:
    """What a build does with one file: read it (package check first), then resolve it; its problems."""
    return resolve(readers.read(path), plan)[1]


def _hygiene(problems, work: Path) -> None:
    for problem in problems:
        text = str(problem)
        if str(work) in text or "/tmp/" in text:
            raise Leak(f"a full path in a message: {text[:200]}")
        if _RAW.search(text):
            raise Leak(f"raw exception text in a message: {text[:200]}")


def read_one(path: Path, plan, timeout: float) -> str | BaseException:
    """What the reader made of it: "read", the refusal's message, or the exception (a Leak
    when a warning, a printed line, a path or an exception's text would reach the user)."""
    signal.setitimer(signal.ITIMER_REAL, timeout)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                problems = read_and_resolve(path, plan)
            finally:
                if caught:
                    raise Leak(f"a warning reached the user: {caught[0].category.__name__}: "
                               f"{str(caught[0].message)[:80]}")
                if printed.getvalue():
                    raise Leak(f"a line was printed: {printed.getvalue()[:80]!r}")
        _hygiene(problems, path.parent)
    except InputError as err:
        try:
            _hygiene(err.problems, path.parent)
        except Leak as leak:
            return leak
        return _kind_of_refusal(err)
    except (Exception, Hang) as exc:
        return exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return "read"


def _kind_of_refusal(err: InputError) -> str:
    message = err.problems[0].message if err.problems else str(err)
    message = re.sub(r"\(.*", "", message)  # the detail in brackets varies
    return "refused: " + " ".join(message.split()[:9])


def fuzz(seconds: float, seeds_dir: Path, out: Path, timeout: float, seed: int | None) -> int:
    seeds = _load_seeds(seeds_dir)
    if not seeds:
        print(f"no seed files in {seeds_dir}", file=sys.stderr)
        return 2
    plan = Plans().for_quarter(parse_quarter("2020-21-Q2"))
    stats = Stats()
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    signal.signal(signal.SIGALRM, _alarm)
    end = time.monotonic() + seconds
    next_report = time.monotonic() + 15
    rng = random.Random(seed)

    def batch(batch_seed: int | None):
        """A fresh Hypothesis run of 50 inputs (repeatable when seeded); the clock is
        looked at between runs, as a time check inside would make generation flaky."""

        @settings(max_examples=50, deadline=None, database=None, phases=[Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(st.data())
        def one(data):
            name, suffix, parts = data.draw(st.sampled_from(seeds))
            m = Mutant(suffix, list(parts), log=[name])
            for _ in range(data.draw(st.integers(1, 4))):
                data.draw(st.sampled_from(MUTATORS))(data.draw, m)
            run(m)

        if batch_seed is not None:
            one = hyp_seed(batch_seed)(one)
        try:
            one()
        except HypothesisException as exc:  # our own failures never reach Hypothesis
            print(f"hypothesis: {type(exc).__name__}; starting a new batch", file=sys.stderr)

    def run(m: Mutant) -> None:
        nonlocal next_report
        blob = m.serialise()
        path = work / f"mutant{m.suffix}"
        path.write_bytes(blob)
        started = time.perf_counter()
        exc = read_one(path, plan, timeout)
        _tally(stats, exc, time.perf_counter() - started, timeout, m, blob, out)
        if time.monotonic() > next_report:
            next_report = time.monotonic() + 15
            _progress(stats, end)

    while time.monotonic() < end:  # a warning or a printed line from a read is a failure (Leak)
        batch(rng.getrandbits(64) if seed is not None else None)
    _progress(stats, end, final=True)
    return _summary(stats, out)


def _tally(stats: Stats, exc: str | BaseException, took: float, timeout: float, m: Mutant, blob: bytes,
           out: Path) -> None:
    """One mutant's outcome counted: read, refused in words, or a failure (kept, a few of a kind)."""
    stats.slowest = max(stats.slowest, took)
    stats.runs += 1
    if took > timeout and not isinstance(exc, BaseException):
        exc = Hang()  # the alarm was swallowed somewhere (a destructor, say): still a hang
    if took > SLOW and stats.slow < KEEP_SLOW:
        stats.slow += 1
        what = exc if isinstance(exc, str) else type(exc).__name__
        _save(out.parent / "slow", f"slow: {took:.1f} s, {what}", stats.slow, m.suffix, blob, log=m.log, exc=None)
    if exc == "read":
        stats.ok += 1
    elif isinstance(exc, str):
        stats.refusals[exc] = stats.refusals.get(exc, 0) + 1
    else:
        sig = "Hang: read took over the timeout" if isinstance(exc, Hang) else _signature(exc)
        n = stats.failures.get(sig, 0) + 1
        stats.failures[sig] = n
        if n <= KEEP_PER_FAILURE:
            _save(out, sig, n, m.suffix, blob, log=m.log, exc=exc)


def _summary(stats: Stats, out: Path) -> int:
    """What the run saw, printed; 1 when anything failed."""
    print("refusals seen:")
    for kind, n in sorted(stats.refusals.items(), key=lambda x: -x[1])[:15]:
        print(f"  {n:>6}  {kind}")
    if stats.failures:
        print(f"\nFAILURES (inputs and tracebacks in {out}):")
        for sig, n in sorted(stats.failures.items(), key=lambda x: -x[1]):
            print(f"  {n:>5}  {sig}")
        return 1
    print("no failures: every mutant was read or refused with an input error")
    return 0


def _save(out: Path, sig: str, n: int, suffix: str, blob: bytes, *, log: list[str],
          exc: BaseException | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{hashlib.sha1(sig.encode()).hexdigest()[:10]}-{n}"
    (out / f"{stem}{suffix}").write_bytes(blob)
    text = "".join(traceback.format_exception(exc)) if exc is not None and not isinstance(exc, Hang) else ""
    (out / f"{stem}.txt").write_text(f"{sig}\nmutations: {'; '.join(log)}\n\n{text}", encoding="utf-8")


def _progress(stats: Stats, end: float, final: bool = False) -> None:
    left = max(0, end - time.monotonic())
    head = "done" if final else f"{left:,.0f} s left"
    print(f"[{head}] {stats.runs:,} inputs: {stats.ok:,} read, {sum(stats.refusals.values()):,} "
          f"refused, {sum(stats.failures.values()):,} failures ({len(stats.failures)} distinct); "
          f"slowest read {stats.slowest:.2f} s", flush=True)


def replay(paths: list[Path], timeout: float) -> int:
    plan = Plans().for_quarter(parse_quarter("2020-21-Q2"))
    signal.signal(signal.SIGALRM, _alarm)
    status = 0
    for path in paths:
        if path.suffix.lower() not in READERS:
            continue
        result = read_one(path, plan, timeout)
        exc: str | BaseException = result
        if isinstance(result, str) and result != "read":
            try:
                readers.read(path)
            except InputError as err:
                exc = str(err)
                if err.__cause__ is not None:
                    exc += "\n" + "".join(traceback.format_exception(err.__cause__))
        if isinstance(exc, str):
            print(f"{path}: fine: {exc}")
        else:
            status = 1
            print(f"{path}: FAILS")
            traceback.print_exception(exc)
    return status


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=600, help="how long to fuzz (default 600)")
    p.add_argument("--seeds", type=Path, default=SEEDS, help="folder of sample submissions to mutate")
    p.add_argument("--out", type=Path, default=ROOT / ".fuzz" / "failures", help="where failing inputs are saved")
    p.add_argument("--timeout", type=float, default=20, help="seconds one read may take (default 20)")
    p.add_argument("--seed", type=int, help="make the run repeatable")
    p.add_argument("--replay", type=Path, nargs="+", metavar="FILE",
                   help="re-read saved inputs and show tracebacks")
    args = p.parse_args(argv)
    if args.replay:
        return replay(args.replay, args.timeout)
    return fuzz(args.seconds, args.seeds, args.out, args.timeout, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
