"""No two modules of services/ and shared/ import each other, directly or around a longer circle.

Three such circles stayed for several stops (login_throttle <-> users, reconcile <-> spec, reconcile_api <-> web),
each kept from failing at import time by an import inside a function. They were broken by moving what both sides
needed to where it belongs; this holds the code to it. Imports inside functions count: a lazy import is still a
module that needs the other, and hiding a circle that way is what let those three stay.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def modules() -> dict[str, Path]:
    """Every module of services/ and shared/ by its dotted name (a package by its own name)."""
    found = {}
    for top in ("services", "shared"):
        for path in sorted((ROOT / top).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def imported(name: str, path: Path, known: dict) -> set[str]:
    """The project's modules `name` imports anywhere in it (`from package import module` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found |= {full} if full in known else {base} if base in known else set()
    return found - {name}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan's strongly connected components of more than one)."""
    order, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(start):
        work = [(start, iter(sorted(graph[start])))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, following = work[-1]
            for nxt in following:
                if nxt not in order:
                    order[nxt] = low[nxt] = len(order)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == order[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_modules_import_each_other_even_inside_functions():
    known = modules()
    graph = {name: imported(name, path, known) for name, path in known.items()}
    assert circles(graph) == [], "modules that import each other (move what both need to where it belongs)"


def test_a_circle_made_by_an_import_inside_a_function_is_found():
    graph = {"shared.web": {"shared.reconcile_api"}, "shared.reconcile_api": {"shared.web", "shared.i18n"},
             "shared.i18n": set(), "shared.spec": {"shared.i18n"}}
    assert circles(graph) == [["shared.reconcile_api", "shared.web"]]
    longer = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(longer) == [["a", "b", "c"]]


def test_imports_are_read_inside_functions_and_relative_ones_too(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("def later():\n    from pkg import two\n    from . import three\n")
    known = {"pkg": package / "__init__.py", "pkg.one": package / "one.py", "pkg.two": package / "two.py",
             "pkg.three": package / "three.py"}
    assert imported("pkg.one", package / "one.py", known) == {"pkg.two", "pkg.three"}
