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


# The flow, package by package (Pandoc's readers → AST → writers):
#   readers (formats → records) → resolve (records + plan → model) → merge and checks → writers,
# with the plan beside resolve, versions (the cycle's history) after the writers, and the command line
# (cli) driving everything through the pipeline. Each may never reach what lies downstream of it.
DOWNSTREAM = {"resolve", "merge", "newest", "checks", "coverage", "pipeline", "writers", "versions", "returns", "cli"}
FLOW = {
    # readers know formats and nothing of the plan, resolving, merging or layouts
    "readers": {"plan", "records.plan", *DOWNSTREAM},
    "records": {"readers", "plan", *DOWNSTREAM},
    "safety": {"readers", "records", "plan", *DOWNSTREAM},
    # the plan is data: it knows no format, no return, no document
    "plan": {"readers", "records", "safety", "intake", *DOWNSTREAM},
    # the model imports no reader, writer, plan or format library user
    "model": {"readers", "records", "safety", "plan", "intake", *DOWNSTREAM},
    # resolving is format-blind
    "resolve": {"readers", "safety", "intake", *(DOWNSTREAM - {"resolve"})},
    "merge": {"readers", "records", "safety", "resolve", "intake", "checks", "pipeline", "writers", "versions",
              "returns", "cli"},
    "checks": {"readers", "records", "safety", "resolve", "intake", "pipeline", "writers", "returns", "cli"},
    # writers know layouts and nothing of submission formats
    "writers": {"readers", "records", "safety", "resolve", "intake", "folders", "pipeline", "versions", "returns",
                "cli"},
    # the quick path of `make` (versions.freshness) loads no reader, writer or console
    "versions": {"readers", "records", "safety", "resolve", "pipeline", "writers", "returns", "cli"},
    "pipeline": {"cli", "returns"},
    "returns": {"cli", "pipeline"},
    # the XML surgery of the returns sent back knows packages, not what it writes into them: no plan,
    # no model, no record, no mark (the feedback signs the texts it hands over)
    **{surgery: {"plan", "model", "records", "assembly", "signature", "resolve", "checks", "merge", "newest",
                 "coverage", "writers", "versions", "pipeline", "cli", "returns.feedback", "returns.write"}
       for surgery in ("returns.repack", "returns.word_comments", "returns.excel_notes")},
}


@pytest.mark.parametrize(("package", "never"), sorted(FLOW.items()))
def test_the_flow_runs_one_way(package, never):
    graph = imports()
    start = f"assemble.{package}"
    starts = [m for m in graph if m == start or m.startswith(start + ".")]
    reached = set().union(*(reaches(graph, s) | {s} for s in starts))
    forbidden = {f"assemble.{n}" for n in never}
    bad = {r for r in reached for n in forbidden if r == n or r.startswith(n + ".")}
    assert bad == set(), f"{start} reaches {sorted(bad)}"


def test_nothing_but_the_entry_point_imports_the_command_line():
    graph = imports()
    importers = {m for m, targets in graph.items() for t in targets
                 if (t == "assemble.cli" or t.startswith("assemble.cli.")) and not m.startswith("assemble.cli")}
    assert importers == {"assemble.__main__"}


def test_the_top_level_is_a_short_list_and_no_module_is_long():
    """The folder list reads as the flow: the stages are packages, and at most 16 modules stand
    beside them; no module holds more than 600 lines."""
    top = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert len(top) <= 16, sorted(top)
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


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
