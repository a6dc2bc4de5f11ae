"""The demo writes its past through the actions' ``at=``, never by patching the clock.

Patching ``timezone.now`` while the demo runs would change "now" for everything else in
the process too (the task worker, a request served meanwhile) and hide an action that
ignores the time it is given. No demo module may import a mocking or time-travel library
or assign to ``timezone.now``.
"""

import ast
from pathlib import Path

import tandem.demo

DEMO = Path(tandem.demo.__file__).parent
FORBIDDEN_IMPORTS = {"unittest", "mock", "time_machine", "freezegun"}


def demo_modules() -> list[Path]:
    return sorted(p for p in DEMO.rglob("*.py") if "tests" not in p.relative_to(DEMO).parts)


def imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def assigns_now(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "now":
                return True
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("patch", "object"):
            return True
    return False


def test_the_demo_is_a_package_of_modules() -> None:
    assert len(demo_modules()) >= 10  # the scan below reads them all


def test_no_demo_module_imports_a_mocking_or_time_travel_library() -> None:
    for path in demo_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert not imported(tree) & FORBIDDEN_IMPORTS, path


def test_no_demo_module_replaces_the_clock() -> None:
    for path in demo_modules():
        assert not assigns_now(ast.parse(path.read_text(encoding="utf-8"))), path
