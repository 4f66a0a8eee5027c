"""The shape of the code (docs/architecture.md): no module over 700 lines, no class over
450, no function over 100 in ``src/storydesk``, and no import cycle between its modules."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "storydesk"
MAX_MODULE, MAX_CLASS, MAX_FUNCTION = 700, 450, 100


def _spans(tree: ast.Module) -> list[tuple[str, str, int]]:
    """(kind, qualified name, lines) of every class and function, decorators included."""
    out: list[tuple[str, str, int]] = []

    def walk(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                first = min([child.lineno] + [d.lineno for d in child.decorator_list])
                kind = "class" if isinstance(child, ast.ClassDef) else "function"
                out.append((kind, name, (child.end_lineno or child.lineno) - first + 1))
                walk(child, name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return out


def violations() -> list[str]:
    """Every module, class and function over its limit."""
    found: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        source = path.read_text(encoding="utf-8")
        n = len(source.splitlines())
        if n > MAX_MODULE:
            found.append(f"{rel}: module of {n} lines (limit {MAX_MODULE})")
        for kind, name, lines in _spans(ast.parse(source)):
            limit = MAX_CLASS if kind == "class" else MAX_FUNCTION
            if lines > limit:
                found.append(f"{rel}::{name}: {kind} of {lines} lines (limit {limit})")
    return found


def test_sizes_within_limits() -> None:
    bad = violations()
    assert not bad, "over the size limits:\n" + "\n".join(bad)


def import_cycles() -> list[set[str]]:
    """The strongly connected groups of two or more storydesk modules in the import
    graph (grimp: function-level and TYPE_CHECKING imports included), names without
    the ``storydesk.`` prefix."""
    import grimp

    graph = grimp.build_graph("storydesk", cache_dir=None)
    adj = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm, iterative over each node's edges
        work = [(v, iter(sorted(adj[v])))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        while work:
            node, edges = work[-1]
            for w in edges:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(adj[w]))))
                    break
                if w in on_stack:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        group.add(w)
                        if w == node:
                            break
                    if len(group) > 1:
                        found.append({m.removeprefix("storydesk.") for m in group})

    for m in sorted(adj):
        if m not in index:
            visit(m)
    return found


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or round a loop."""
    cycles = [sorted(c) for c in import_cycles()]
    assert not cycles, f"import cycles: {cycles}"
