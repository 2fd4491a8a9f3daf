"""The client's layout (docs/architecture.md, issue 14): subpackages by layer, imports one way, no
cycle, nobody imports another module's private name."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "client" / "zhili"
DOMAINS = {"admin", "persons", "jurisdiction", "calendar", "election", "council", "evidence", "merit", "profiles", "village"}
UPPER = {"deploy", "scenario", "bench", "cli"}  # assemble the domains


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["zhili", *parts])


def imports() -> dict[str, set[tuple[str, str]]]:
    """Module -> {(imported module, imported name)} for every zhili import, at any depth in the file."""
    out: dict[str, set[tuple[str, str]]] = {}
    for path in PKG.rglob("*.py"):
        if "artifacts" in path.parts:
            continue
        me = module_name(path)
        pkg = me if path.name == "__init__.py" else me.rpartition(".")[0]
        found: set[tuple[str, str]] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("zhili"):
                    for a in node.names:
                        found.add((target, a.name))
            elif isinstance(node, ast.Import):
                found |= {(a.name, "") for a in node.names if a.name.startswith("zhili")}
        out[me] = found
    return out


def layer(mod: str) -> str:
    parts = mod.split(".")
    if len(parts) == 1 or parts[1] in ("errors", "types"):
        return "base"
    if parts[1] == "core":
        return "core"
    if parts[1] in DOMAINS or parts[1] == "rebuild":
        return "cli" if parts[-1] == "cli" else "domain"
    return "upper"


def test_no_flat_modules_left_at_the_root() -> None:
    flat = sorted(p.name for p in PKG.glob("*.py") if p.name.startswith(("cli_", "bench_")) or p.stem.endswith("_rebuild"))
    assert not flat, f"modules that belong in a subpackage: {flat}"


def test_imports_point_one_way_and_never_at_private_names() -> None:
    order = {"base": 0, "core": 1, "domain": 2, "cli": 3, "upper": 3}
    bad, private = [], []
    for me, found in imports().items():
        for target, name in found:
            if layer(me) in ("base", "core", "domain") and order[layer(target)] > order[layer(me)]:
                bad.append(f"{me} imports {target}")
            if name.startswith("_") and not name.startswith("__") and target.split(".")[:2] != me.split(".")[:2]:
                private.append(f"{me} imports {target}.{name}")
    assert not bad, "imports must point core <- domain <- cli:\n" + "\n".join(sorted(bad))
    assert not private, "\n".join(sorted(private))


def test_no_import_cycle() -> None:
    graph = imports()
    modules = set(graph)
    edges: dict[str, set[str]] = {}
    for me, found in graph.items():
        targets = set()
        for target, name in found:
            sub = f"{target}.{name}"
            targets.add(sub if sub in modules else target)
        edges[me] = {t for t in targets if t in modules and t != me and not me.startswith(t + ".")}
    # a package's __init__ re-exporting its own modules is not a cycle
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in edges.get(m, ()):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t) :] + [t])
            elif not state.get(t):
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(modules):
        if not state.get(m):
            visit(m)
    real = [c for c in cycles if not all(x.startswith(c[0].rpartition(".")[0]) and x.endswith("__init__") for x in c)]
    assert not real, "import cycles:\n" + "\n".join(" -> ".join(c) for c in real)


def test_no_test_imports_a_conftest() -> None:
    # seven directories have a conftest.py, all imported under the one name "conftest": which of them
    # `from conftest import X` finds depends on what the worker collected first. Shared helpers live in
    # kit modules of their own names (chain_kit, village_kit, console_kit).
    tests = Path(__file__).resolve().parent
    offenders = [
        str(path.relative_to(tests))
        for path in tests.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if (isinstance(node, ast.ImportFrom) and node.module == "conftest") or (isinstance(node, ast.Import) and any(a.name == "conftest" for a in node.names))
    ]
    assert offenders == []
