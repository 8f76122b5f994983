"""Rewrite the reviewed goldens from the current code; review the diff before committing.

    .venv/bin/python tools/accept_golden.py [--inputs inputs]   # `make accept-golden`

Writes the sample's merged outline (tests/golden/2020-21-Q2.native, read from
INPUTS/2020-21-Q2) and then, from that outline and tests/meta.py's META, the Word
document's parts as normalised XML (tests/golden/docx/). The tests only compare
with these files; nothing else writes them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assemble.pipeline import assemble, report  # noqa: E402
from assemble.plan.plans import Plans  # noqa: E402
from assemble.quarter import parse_quarter  # noqa: E402
from assemble.versions import native  # noqa: E402
from tests.docx_parts import FOLDER, NATIVE, sample_parts  # noqa: E402

QUARTER = "2020-21-Q2"


def accept_outline(inputs: Path) -> list[Path]:
    asm = assemble(inputs / QUARTER, Plans().for_quarter(parse_quarter("2020-21-Q2")))
    if asm.errors:
        raise SystemExit("accept-golden: the sample has errors:\n" + "\n".join(map(str, asm.errors)))
    NATIVE.write_text(native.dump(report(asm, "1.0")), encoding="utf-8", newline="\n")
    return [NATIVE]


def accept_docx() -> list[Path]:
    FOLDER.mkdir(parents=True, exist_ok=True)
    written = []
    for name, xml in sample_parts().items():
        path = FOLDER / name
        path.write_text(xml, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--inputs", type=Path, default=ROOT / "inputs", help="the inputs folder (default: inputs/)")
    args = p.parse_args(argv)
    written = accept_outline(args.inputs) + accept_docx()
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
