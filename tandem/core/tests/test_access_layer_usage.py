"""Views and API handlers fetch protected records only through the access layer.

A view that wrote ``Child.objects.filter(...)`` itself could forget the
organization; this test reads the source of every view and API module and fails
when one names a protected model's manager directly.
"""

import ast
from pathlib import Path

import tandem

PROTECTED = {
    "Child",
    "Diagnosis",
    "GuardianLink",
    "CareTeamMember",
    "AccessLog",
    "Membership",
    "ApiToken",
}
ROOT = Path(tandem.__file__).parent


def surface_modules() -> list[Path]:
    files = [
        p for p in ROOT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts
    ]
    return [p for p in files if p.name.startswith(("views", "token_views")) or "api" in p.parts]


def direct_manager_uses(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "history", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in PROTECTED
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_views_and_api_use_only_the_access_layer() -> None:
    offenders = [use for path in surface_modules() for use in direct_manager_uses(path)]
    assert not offenders, "fetch these through an access.py helper:\n" + "\n".join(offenders)


def test_the_check_finds_a_direct_use(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text("from x import Child\nChild.objects.filter(pk=1)\n")
    assert direct_manager_uses(bad, root=tmp_path) == ["views.py:2 Child.objects"]


def test_surface_modules_are_found() -> None:
    names = {p.name for p in surface_modules()}
    assert "views.py" in names
