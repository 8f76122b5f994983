"""The shape of the package, checked: one direction of flow (readers → records →
resolve → model → merge and checks → writers), no import cycles, and importing
any module changes nothing global."""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assemble"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def imports() -> dict[str, set[str]]:
    """Module -> the assemble modules it imports, at the top or inside functions (parsed once
    per run: every case of the flow's test reads the same graph; none changes it)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("assemble"):
                    found.add(target)
                    found.update(f"{target}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("assemble"))
        graph[name] = found
    modules = set(graph)
    return {m: {t for t in targets if t in modules and t != m} for m, targets in graph.items()}


def top_level_imports() -> dict[str, set[str]]:
    """Module -> the assemble modules it imports when it is imported (not inside functions)."""
    graph: dict[str, set[str]] = {}
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        graph[name] = {t for t in found if t in modules and t != name}
    return graph


def reaches(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_there_is_no_import_cycle():
    graph = top_level_imports()
    cycles = [m for m in graph if m in reaches(graph, m) and not m.endswith("__init__")
              and not any(m == p or m.startswith(p + ".") for p in ("assemble.checks", "assemble.readers",
                                                                  "assemble.resolve"))]
    # a package and its own modules import each other by design (the list in __init__); nothing else may
    assert cycles == []


@pytest.mark.parametrize(("module", "never"), [
    # readers know formats and nothing of the plan, resolving, merging or layouts
    ("assemble.readers", {"assemble.plan", "assemble.plans", "assemble.resolve", "assemble.matching",
                          "assemble.merge", "assemble.writers", "assemble.checks", "assemble.pipeline"}),
    # the model imports no reader, writer or format library user
    ("assemble.model", {"assemble.readers", "assemble.writers", "assemble.resolve", "assemble.merge"}),
    ("assemble.records", {"assemble.readers", "assemble.writers", "assemble.plan"}),
    # resolving is format-blind
    ("assemble.resolve", {"assemble.readers", "assemble.writers"}),
    ("assemble.merge", {"assemble.readers", "assemble.writers", "assemble.resolve"}),
    ("assemble.checks", {"assemble.readers", "assemble.writers", "assemble.resolve", "assemble.pipeline"}),
    # writers know layouts and nothing of submission formats
    ("assemble.writers", {"assemble.readers", "assemble.resolve", "assemble.records", "assemble.safety",
                          "assemble.matching", "assemble.intake"}),
    # watch drives the commands, not the command line
    ("assemble.watch", {"assemble.cli"}),
    ("assemble.commands", {"assemble.cli"}),
    # the quick path of `make` loads no reader, writer or console
    ("assemble.freshness", {"assemble.readers", "assemble.writers", "assemble.console", "assemble.pipeline"}),
])
def test_the_flow_runs_one_way(module, never):
    graph = imports()
    starts = [m for m in graph if m == module or m.startswith(module + ".")]
    reached = set().union(*(reaches(graph, s) | {s} for s in starts))
    bad = {r for r in reached for n in never if r == n or r.startswith(n + ".")}
    assert bad == set(), f"{module} reaches {sorted(bad)}"


def test_the_units_mark_imports_nothing():
    """Guard rails, case 11: the mark on the unit's own comments is read by the readers and
    written by whatever writes returns, so it imports no module of either side."""
    assert imports()["assemble.signature"] == set()


def test_importing_every_module_changes_nothing_global():
    names = sorted(module_name(p) for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
    code = (
        "import ctypes.util, gc, importlib, logging, sys\n"
        # the libraries first: what their own imports do is theirs (WeasyPrint gives its logger a handler)
        "import docx, docxtpl, openpyxl, weasyprint, rich, rapidfuzz, watchfiles, filelock\n"
        "find, frozen, enabled = ctypes.util.find_library, gc.get_freeze_count(), gc.isenabled()\n"
        "handlers = {n: list(logging.getLogger(n).handlers) for n in ('', 'weasyprint', 'fontTools')}\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "assert ctypes.util.find_library is find, 'find_library replaced'\n"
        "assert gc.get_freeze_count() == frozen and gc.isenabled() == enabled, 'gc changed'\n"
        "assert {n: list(logging.getLogger(n).handlers) for n in handlers} == handlers, 'logging changed'\n"
        "print('ok', len(sys.modules) > 100)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok True"


def _empty(value: ast.expr | None) -> bool:
    """Whether an expression makes an empty list, dict or set."""
    if isinstance(value, ast.List | ast.Set):
        return not value.elts
    if isinstance(value, ast.Dict):
        return not value.keys
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in {"list", "dict", "set"} and not value.args)


def test_no_module_holds_state_to_fill_in():
    """What a command holds (the worker it started, its layout settings and cache, the engine
    loaded ahead) is held by an object the command owns, never by a module: no module binds a
    name to an empty list, dict or set, to be filled in as it runs."""
    found = [f"{module_name(path)}: {ast.unparse(node)}" for path in sorted(PACKAGE.rglob("*.py"))
             for node in ast.parse(path.read_text(encoding="utf-8")).body
             if isinstance(node, ast.Assign | ast.AnnAssign) and _empty(node.value)]
    assert found == []
