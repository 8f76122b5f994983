"""The lock (requirements/*.txt, written by `make lock`) agrees with pyproject.toml: every
requirement is pinned, at a version its specifier admits, with hashes; the test lock holds
the build lock's pins and the test tools. No network: the files alone are read."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(name: str) -> dict[str, tuple[str, int]]:
    """A lock file's pins: canonical name -> (version, how many hashes)."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements" / name).read_text(encoding="utf-8").splitlines():
        if m := _PIN.match(line):
            current = canonicalize_name(m.group(1))
            found[current] = (m.group(2), 0)
        elif line.strip().startswith("--hash=sha256:") and current is not None:
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def requirements(*extras: str) -> list[Requirement]:
    listed = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        listed += PYPROJECT["project"]["optional-dependencies"][extra]
    tools = (ROOT / "requirements" / "tools.in").read_text(encoding="utf-8").splitlines()
    listed += [line for line in tools if line.strip() and not line.startswith("#")]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(("lock", "extras"), [("build.txt", ()), ("test.txt", ("test",))])
def test_every_requirement_is_pinned_at_a_version_it_admits_with_hashes(lock, extras):
    pinned = pins(lock)
    assert pinned, lock
    for req in requirements(*extras):
        if req.marker is not None and not req.marker.evaluate():
            continue
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is required by pyproject.toml but not pinned in {lock}: make lock"
        version, _ = pinned[name]
        assert req.specifier.contains(version, prereleases=True), \
            f"{lock} pins {req.name}=={version}, which pyproject.toml's {req} does not admit: make lock"
    assert all(hashes for _, hashes in pinned.values()), f"a pin of {lock} has no hash"


def test_the_test_lock_holds_the_build_locks_pins_and_the_build_lock_no_test_tool():
    build, test = pins("build.txt"), pins("test.txt")
    assert {n: v for n, (v, _) in build.items()} == {n: test[n][0] for n in build}
    for req in (Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]):
        assert canonicalize_name(req.name) not in build, f"{req.name} is a test tool: make alone must not install it"


def test_the_lock_was_made_for_the_pythons_pyproject_admits():
    """The lock's own header says how it was made: for every platform, from Python 3.11 on,
    which is what requires-python admits."""
    head = (ROOT / "requirements" / "build.txt").read_text(encoding="utf-8").splitlines()[:3]
    made = " ".join(head)
    assert "--universal" in made and "--python-version 3.11" in made and "--generate-hashes" in made
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    assert Marker("python_version >= '3.11'").evaluate()
