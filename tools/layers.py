"""The import graph between Tandem's apps and packages, and its cycles.

    python tools/layers.py            # the graph, then every cycle (strongly connected set)
    python tools/layers.py --check    # exit 1 if a cycle is not explained in docs/architecture.md
    python tools/layers.py --edges a b  # the imports of b in a (module:line  imported module)

Every module under ``tandem/`` except tests and migrations is read (imports inside
functions count too: a lazy import is still a dependency; imports under
``if TYPE_CHECKING:`` do not, they are for the type checker only). A module belongs to the
first package under ``tandem`` (``tandem.notes.views`` → ``notes``). A cycle is allowed
only when docs/architecture.md lists it in its "Allowed cycles" section as a line
``- cycle: a, b — why``.
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tandem"
SKIP_PARTS = {"tests", "migrations", "testing"}
SKIP_FILES = {"conftest.py"}


def unit_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "tandem":
        return None
    return parts[1]


def modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if SKIP_PARTS & set(rel.parts) or path.name in SKIP_FILES:
            continue
        if len(rel.parts) < 3:  # tandem/settings.py, tandem/urls.py: the project, on top
            continue
        found.append((".".join(rel.parts), path))
    return found


def imports() -> list[tuple[str, int, str, str]]:
    """Every import of another unit: (module, line, target module, target unit)."""
    found = []
    for name, path in modules():
        source = unit_of(name)
        if source is None:
            continue
        package = name.rsplit(".", 1)[0] if path.name != "__init__.py" else name
        tree = ast.parse(path.read_text(), str(path))
        type_only = {
            id(child)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for stmt in block.body
            for child in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in type_only:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    targets = [".".join([*base, node.module or ""]).rstrip(".")]
                elif node.module:
                    targets = [node.module]
            for target in targets:
                unit = unit_of(target)
                if unit and unit != source:
                    found.append((name, node.lineno, target, unit))
    return found


def graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {unit: set() for name, _ in modules() if (unit := unit_of(name))}
    for name, _, _, unit in imports():
        edges[unit_of(name) or ""].add(unit)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected sets of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def allowed_cycles() -> list[set[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    return [
        {part.strip() for part in match.group(1).split(",")}
        for match in re.finditer(r"^- cycle: ([a-z_, ]+?) —", text, flags=re.MULTILINE)
    ]


def main(argv: list[str]) -> int:
    if "--edges" in argv:
        pair = argv[argv.index("--edges") + 1 : argv.index("--edges") + 3]
        if len(pair) != 2:
            print("usage: python tools/layers.py --edges FROM TO", file=sys.stderr)
            return 2
        source, target = pair
        for name, line, module, unit in sorted(imports()):
            if unit_of(name) == source and unit == target:
                print(f"{name}:{line}  {module}")
        return 0
    edges = graph()
    found = cycles(edges)
    if "--check" not in argv:
        for unit in sorted(edges):
            print(f"{unit:14} → {', '.join(sorted(edges[unit])) or '-'}")
        print()
    allowed = allowed_cycles()
    bad = [c for c in found if set(c) not in allowed]
    for component in found:
        mark = "explained" if set(component) in allowed else "NOT EXPLAINED"
        print(f"cycle ({mark}): {', '.join(component)}")
    if not found:
        print("no import cycles between apps")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
