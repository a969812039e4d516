"""Imports point one way: errors → base → config → settings → content → normalize → images → render / dzen →
project → commands.

A package may import only from layers below its own (and from itself); so there are no package cycles.
Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "dzenpress"

LAYERS = [
    {"_version", "errors"},
    {"hashing", "fsio", "chrome", "cmark", "dzen_urls", "parallel", "routes", "safeurl", "signals", "net"},
    {"config", "plugins"},
    {"dates", "indexnow"},
    {"settings"},
    {"content"},
    {"normalize"},
    {"images"},
    {"render", "dzen", "hints"},
    {"project", "clean", "scaffold", "report", "check", "newpost", "hot", "watcher"},
    {"serve", "ping", "terminal", "deploy"},
    {"sync", "scaffold_ci"},
    {"cli", "__init__"},
    {"entry"},
    {"__main__"},
]


def _unit(path: Path) -> str:
    return path.relative_to(SRC).with_suffix("").parts[0]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {n.split(".")[1] for n in names if n.startswith("dzenpress.")}
    return found


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        unit = _unit(path)
        graph.setdefault(unit, set()).update(_imports(path) - {unit})
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            found.append([*trail[trail.index(node):], node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


def test_every_module_has_a_layer() -> None:
    known = set().union(*LAYERS)
    assert set(unit_graph()) <= known, set(unit_graph()) - known


def test_imports_point_down_the_layers() -> None:
    layer = {unit: n for n, units in enumerate(LAYERS) for unit in units}
    wrong = sorted(f"{src} imports {dst}" for src, targets in unit_graph().items() for dst in targets
                   if layer[dst] >= layer[src])
    assert wrong == []


def test_no_package_cycles() -> None:
    assert cycles(unit_graph()) == []


def test_the_cycle_check_sees_cycles() -> None:
    assert cycles({"content": {"dzen"}, "dzen": {"normalize"}, "normalize": {"content"}}) == [
        ["content", "dzen", "normalize", "content"]]
