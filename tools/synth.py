"""Make a synthetic quarter of N times the sample's content, for benchmarks.

    .venv/bin/python tools/synth.py 10                      -> bench/tmp/10x/2020-21-Q2/
    .venv/bin/python tools/synth.py 100 --out DIR --seed 7  -> DIR/2020-21-Q2/

Starts from the sample's outlines (``tools/sample/<quarter>/*.txt``, the same
ones ``tools/make_sample.py`` turns into ``inputs/<quarter>/``) and writes the
same eleven submissions, one per area, in the same formats (Word or Excel, the
same headings, bullet styles and labels), but with N times the updates: every
commitment an area reports on gets each of its top-level bullets N times, the
first copy as sent, every further copy with new text of the same length. The
plan (``templates/plan.toml``) fixes the areas and commitments, so more content
means more updates per commitment, as on a busy quarter.

New text is a word-level Markov chain (order 1) over the sentences of the
sample's own updates that carry no figures, so its words, names and sentence
lengths are the sample's, no two copies repeat each other (which the
duplicate check would flag) and no figures contradict each other (which the
figures check would flag). Seeded: the same N and seed give the same bytes.

Labels keep the sample's places, so the document's structure (areas, districts,
nesting) is the sample's, only longer; a copy carries its label as the plan
spells it, so the sample's two misspelt labels are warned about once each, as
in the sample.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from make_sample import Bullet, Outline, read_outlines, render  # noqa: E402

from assemble.plan.plans import Plans  # noqa: E402
from assemble.quarter import parse_quarter  # noqa: E402

DEFAULT_QUARTER = "2020-21-Q2"
START = ("", "")


class Chain:
    """An order-1 word chain over the sample's update sentences without figures."""

    def __init__(self, texts: list[str]):
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        for text in texts:
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                words = sentence.split()
                if len(words) < 3 or re.search(r"\d", sentence):
                    continue
                state = START
                for w in words:
                    self.next[state].append(w)
                    state = ("", w)
                self.next[state].append("")  # the sentence may end here

    def sentence(self, rng: random.Random, limit: int) -> list[str]:
        out: list[str] = []
        state = START
        while len(out) < limit:
            choices = self.next.get(state) or [""]
            word = rng.choice(choices)
            if not word:
                break
            out.append(word)
            state = ("", word)
        return out

    def text(self, rng: random.Random, words: int) -> str:
        """About `words` words of whole sentences (the last one cut, and closed, if need be)."""
        out: list[str] = []
        while len(out) < words:
            out += self.sentence(rng, words - len(out))
        text = " ".join(out).rstrip(",;:–-")
        return text if text.endswith((".", "!", "?")) else text + "."


def _texts(bullets: list[Bullet]) -> list[str]:
    out = []
    for b in bullets:
        if b.text:
            out.append(b.text)
        out += _texts(b.children)
    return out


def _vary(bullet: Bullet, chain: Chain, rng: random.Random, spelt: dict[str, str], stretch: float = 1.0) -> Bullet:
    """The same shape of bullet (label, nesting) with new text, `stretch` times as long."""
    text = chain.text(rng, max(6, round(len(bullet.text.split()) * stretch))) if bullet.text else ""
    return replace(
        bullet,
        text=text,
        label=spelt.get(bullet.label, bullet.label) if bullet.label else None,
        children=[_vary(c, chain, rng, spelt, stretch) for c in bullet.children],
    )


def _spelling(plan, outlines: list[Outline]) -> dict[str, str]:
    """Each one-place label the sample uses -> that place as the plan spells it."""
    from assemble.plan import matching

    out: dict[str, str] = {}

    def walk(bullets):
        for b in bullets:
            if b.label:
                known = matching.place(plan, b.label)
                if known:
                    out[b.label] = known
            walk(b.children)

    for o in outlines:
        for _, bullets in o.sections:
            walk(bullets)
    return out


def synthesise(factor: int, seed: int = 0, quarter: str = DEFAULT_QUARTER, stretch: float = 1.0) -> list[Outline]:
    """The sample's outlines with every commitment's bullets `factor` times (the copies'
    text `stretch` times as long as the first's)."""
    if factor < 1:
        raise ValueError("the factor must be 1 or more")
    plan = Plans().for_quarter(parse_quarter("2020-21-Q2"))
    outlines = read_outlines(ROOT / "tools" / "sample" / quarter)
    chain = Chain([t for o in outlines for _, bullets in o.sections for t in _texts(bullets)])
    spelt = _spelling(plan, outlines)
    rng = random.Random(seed)
    out = []
    for o in outlines:
        sections = []
        for cid, bullets in o.sections:
            grown = list(bullets)
            for _ in range(factor - 1):
                grown += [_vary(b, chain, rng, spelt, stretch) for b in bullets]
            sections.append((cid, grown))
        out.append(Outline(o.path, dict(o.header), sections))
    return out


def write(factor: int, out: Path, seed: int = 0, quarter: str = DEFAULT_QUARTER,
          stretch: float = 1.0) -> tuple[Path, int]:
    """Write the synthetic quarter folder out/<quarter>/; return it and its update count."""
    plan = Plans().for_quarter(parse_quarter("2020-21-Q2"))
    folder = out / quarter
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.iterdir():
        if stale.is_file():
            stale.unlink()
    outlines = synthesise(factor, seed, quarter, stretch)
    for o in outlines:
        (folder / o.file).write_bytes(render(o, plan))
    return folder, sum(o.count() for o in outlines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("factor", type=int, help="how many times the sample's content (10, 100)")
    parser.add_argument("--out", type=Path, help="parent folder (default bench/tmp/<N>x)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quarter", default=DEFAULT_QUARTER, help="the sample quarter to grow")
    parser.add_argument("--stretch", type=float, default=1.0, help="make the copies' text this many times as long")
    args = parser.parse_args(argv)
    out = args.out or ROOT / "bench" / "tmp" / f"{args.factor}x"
    folder, updates = write(args.factor, out, args.seed, args.quarter, args.stretch)
    print(f"{folder}: {updates} updates in {sum(1 for p in folder.iterdir() if p.is_file())} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
