"""The layers of docs/architecture.md hold: every somlab module imports only the layers its layer
may import (imports inside functions count too), and no somlab modules import each other in a
cycle. Known breaches are expected failures, listed with their reason, until the code changes."""

from __future__ import annotations

import ast
import fnmatch
import re
from functools import cache
from pathlib import Path

import pytest

import somlab

SRC = Path(somlab.__file__).resolve().parents[1]
DOC = SRC.parent / "docs" / "architecture.md"

# (importing layer, imported layer): why it is still there
KNOWN_UPWARD: dict[tuple[str, str], str] = {}
KNOWN_CYCLES: dict[frozenset[str], str] = {}


@cache
def layer_table() -> dict[str, tuple[list[str], set[str]]]:
    """layer -> (module patterns, layers it may import), from the table in docs/architecture.md."""
    table = {}
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Layers and what each may import", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`somlab"):
            continue
        layer, modules, allowed = cells
        table[layer] = (
            re.findall(r"`([^`]+)`", modules),
            {a.strip() for a in allowed.split(",")} - {"—"},
        )
    return table


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "somlab").rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _resolve(name: str) -> str:
    """The somlab module an imported name lives in (a name defined in a module gives the module)."""
    while name not in modules():
        name = name.rpartition(".")[0]
    return name


@cache
def imports() -> dict[str, set[str]]:
    """module -> the somlab modules it imports; `from somlab import __version__` is kept as the
    pseudo-module `somlab.__version__` (the version is not the package root's API)."""
    graph = {}
    for module, path in modules().items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {_resolve(a.name) for a in node.names if a.name.startswith("somlab")}
            elif (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").startswith("somlab")
            ):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(
                        full
                        if full in modules() or full == "somlab.__version__"
                        else _resolve(node.module)
                    )
        graph[module] = targets - {module}
    return graph


def layer_of(module: str) -> str | None:
    """The layer whose pattern names the module most closely: a pattern with a wildcard
    (`somlab.*.commands`) or the exact name first, then the longest enclosing package; the root
    `somlab` names the package root only."""
    best, best_rank = None, (-1, -1)
    for layer, (patterns, _) in layer_table().items():
        for pattern in patterns:
            if "*" in pattern and fnmatch.fnmatch(module, pattern) or module == pattern:
                rank = (2, len(pattern))
            elif pattern != "somlab" and module.startswith(pattern + "."):
                rank = (1, len(pattern))
            else:
                continue
            if rank > best_rank:
                best, best_rank = layer, rank
    return best


def upward_imports(graph: dict[str, set[str]] | None = None) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for module, targets in (graph or imports()).items():
        source = layer_of(module)
        for target in targets:
            layer = layer_of(target)
            if layer != source and layer not in layer_table()[source][1]:
                found.setdefault((source, layer), []).append(f"{module} -> {target}")
    return found


def cycles(graph: dict[str, set[str]] | None = None) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    graph = graph or imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(frozenset(component))

    for node in graph:
        if node not in index:
            visit(node)
    return out


def test_the_table_names_the_layers_of_the_document():
    assert list(layer_table()) == [
        "facts",
        "law",
        "conformity",
        "register",
        "evidence",
        "simulator",
        "review",
        "presentation",
        "report",
        "web",
        "CLI",
    ]
    for layer, (_, allowed) in layer_table().items():
        assert allowed <= layer_table().keys(), f"{layer} may import unknown layers"


def test_every_module_has_a_layer():
    assert [m for m in modules() if layer_of(m) is None] == []
    assert layer_of("somlab.law.commands") == "CLI" and layer_of("somlab.law.scalar") == "law"
    assert layer_of("somlab") == "CLI" and layer_of("somlab.__version__") == "facts"


def test_no_upward_import():
    unexpected = {
        pair: found for pair, found in upward_imports().items() if pair not in KNOWN_UPWARD
    }
    assert unexpected == {}


# When one of these passes, the breach is gone: delete its entry from KNOWN_UPWARD.
@pytest.mark.parametrize(
    "pair",
    [
        pytest.param(p, marks=pytest.mark.xfail(reason=why, strict=True))
        for p, why in KNOWN_UPWARD.items()
    ],
    ids="->".join,
)
def test_known_upward_import_is_gone(pair):
    assert pair not in upward_imports(), upward_imports()[pair]


def test_no_import_cycle():
    assert [sorted(c) for c in cycles() if c not in KNOWN_CYCLES] == []


# When one of these passes, the cycle is gone: delete its entry from KNOWN_CYCLES.
@pytest.mark.parametrize(
    "cycle",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=why, strict=True))
        for c, why in KNOWN_CYCLES.items()
    ],
    ids=lambda c: "<->".join(sorted(c)),
)
def test_known_cycle_is_gone(cycle):
    assert cycle not in cycles()


def test_the_checks_see_a_breach():
    """An import of the web layer from the law layer is reported, and so is a cycle."""
    graph = {module: set(targets) for module, targets in imports().items()}
    graph["somlab.law.scalar"].add("somlab.web.pages")
    graph["somlab.facts"].add("somlab.law.scalar")
    assert ("law", "web") in upward_imports(graph)
    assert any({"somlab.facts", "somlab.law.scalar"} <= c for c in cycles(graph))
