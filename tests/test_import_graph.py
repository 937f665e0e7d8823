"""The package's shape: no import cycles between modules, no module or example past 400 lines.

The import graph is read from the source with :mod:`ast`, not by importing: every
``import`` / ``from ... import`` anywhere in a file counts, also inside functions
(a lazy import is still a dependency, it only runs later). Relative imports are
resolved; importing a package counts as importing its ``__init__``, and a
lazy_loader stub (``__init__.pyi``) counts as that package importing the modules
of the names it lists.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "aufeat"

#: Cycles other changes are removing; each entry is the set of modules of one cycle.
KNOWN_CYCLES: list[set] = []

MAX_LINES = 400
#: Modules over MAX_LINES that other changes are splitting.
KNOWN_LONG: set = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, list[Path]]:
    """Module name -> its source files (a package: ``__init__.py`` and ``__init__.pyi``)."""
    found: dict[str, list[Path]] = {}
    for path in sorted(PACKAGE.rglob("*.py")) + sorted(PACKAGE.rglob("__init__.pyi")):
        found.setdefault(module_name(path), []).append(path)
    return found


def is_package(name: str, known) -> bool:
    return any(p.stem == "__init__" for p in known.get(name, []))


def imported(node: ast.AST, name: str, package: bool, known) -> set[str]:
    """aufeat modules an import statement in module ``name`` depends on."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if node.level:  # relative: from the module's package, one level up per extra dot
        parts = name.split(".") if package else name.split(".")[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    targets = set()
    for alias in node.names:
        submodule = f"{base}.{alias.name}"
        if submodule in known:  # from package import module
            targets.add(submodule)
        elif base in known:  # from module import name (a package: its __init__)
            targets.add(base)
    return targets


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph = {}
    for name, paths in known.items():
        package = is_package(name, known)
        edges = set()
        for path in paths:
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    edges |= imported(node, name, package, known)
        edges.discard(name)
        graph[name] = edges
    return graph


def strongly_connected(graph) -> list[set[str]]:
    """Tarjan's components with more than one module (each holds at least one cycle)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def a_cycle(graph, component) -> list[str]:
    """One import cycle inside ``component``, as a path that ends where it starts."""
    start = min(component)
    parents, frontier = {start: None}, [start]
    while frontier:  # breadth-first search back to ``start``: the shortest cycle through it
        following = []
        for node in frontier:
            for target in sorted(graph[node] & component):
                if target == start:
                    path = [node]
                    while parents[path[-1]] is not None:
                        path.append(parents[path[-1]])
                    return [*reversed(path), start]
                if target not in parents:
                    parents[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle found in {component}")


def test_the_graph_sees_lazy_relative_and_stub_imports():
    graph = import_graph()
    # a relative import inside a function (aufeat.keras.KerasCNNClassifier builds its network)
    assert "aufeat.keras._architectures" in graph["aufeat.keras._estimators"]
    # lazy_loader stubs: the package imports the modules of the names listed
    assert "aufeat.estimators.au" in graph["aufeat.estimators"]
    assert "aufeat.datasets" in graph["aufeat"]
    # from package import module
    assert "aufeat.evaluation.plots" in graph["aufeat.cli._bench_report"]


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    (component,) = strongly_connected(graph)
    assert component == {"a", "b", "c"}
    assert a_cycle(graph, component) == ["a", "b", "c", "a"]


def test_no_import_cycles():
    graph = import_graph()
    cycles = [a_cycle(graph, c) for c in strongly_connected(graph) if c not in KNOWN_CYCLES]
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_module_is_over_400_lines():
    long = {}  # the package's modules and the examples, which are read as much
    for path in sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "examples").glob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        n_lines = len(path.read_text().splitlines())
        if n_lines > MAX_LINES and name not in KNOWN_LONG:
            long[name] = n_lines
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"
