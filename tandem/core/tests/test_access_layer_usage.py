"""Views and API handlers fetch protected records only through the access layer.

A view that wrote ``Child.objects.filter(...)`` itself could forget the
organization; this test reads the source of every view and API module and fails
when one names a protected model's manager directly. The protected models are the
ones the query guard in ``tandem/conftest.py`` watches, found from the app registry
(``core.testing.scoping``): a new app's models are covered without editing this file.
"""

import ast
from pathlib import Path

import tandem
from tandem.core.testing.scoping import protected_models

ROOT = Path(tandem.__file__).parent
MANAGERS = {"objects", "history", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
SURFACES = ("views", "api")


def protected() -> set[str]:
    return {model.__name__ for model in protected_models()}


def is_surface(relative: Path) -> bool:
    """A view or API module: ``views.py``, ``views_family.py``, ``api_guardians.py``,
    ``token_views.py``, or any module of a ``views`` or ``api`` package."""
    if relative.suffix != ".py" or {"tests", "migrations"} & set(relative.parts):
        return False
    stem = relative.stem
    named = stem.startswith(SURFACES) or stem.endswith(tuple(f"_{s}" for s in SURFACES))
    return named or bool(set(SURFACES) & set(relative.parts[:-1]))


def surface_modules() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if is_surface(p.relative_to(ROOT)))


def _name(node: ast.expr) -> str | None:
    """``Child`` for ``Child`` and for ``models.Child``."""
    return node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)


def direct_manager_uses(path: Path, names: set[str], root: Path = ROOT) -> list[str]:
    """Each ``Model.objects`` (or ``module.Model.objects``, ``get_object_or_404(Model, …)``)
    naming one of ``names``."""
    found: list[tuple[int, str]] = []  # by line: ast.walk goes breadth first
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            name, use = _name(node.value), "{}." + node.attr
        elif isinstance(node, ast.Call) and _name(node.func) in SHORTCUTS and node.args:
            name, use = _name(node.args[0]), f"{_name(node.func)}({{}})"
        else:
            continue
        if name in names:
            where = f"{path.relative_to(root)}:{node.lineno}"
            found.append((node.lineno, f"{where} {use.format(name)}"))
    return [use for _, use in sorted(found)]


def test_views_and_api_use_only_the_access_layer() -> None:
    names = protected()
    offenders = [use for path in surface_modules() for use in direct_manager_uses(path, names)]
    assert not offenders, "fetch these through an access.py helper:\n" + "\n".join(offenders)


def test_the_check_finds_a_direct_use(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text(
        "from x import Child, models\n"
        "Child.objects.filter(pk=1)\n"
        "models.Goal.history\n"
        "get_object_or_404(Child, pk=1)\n"
        "access.children_visible_to(membership).get(pk=1)\n"
    )
    assert direct_manager_uses(bad, {"Child", "Goal"}, root=tmp_path) == [
        "views.py:2 Child.objects",
        "views.py:3 Goal.history",
        "views.py:4 get_object_or_404(Child)",
    ]


def test_every_view_and_api_module_is_checked() -> None:
    modules = {p.relative_to(ROOT).as_posix() for p in surface_modules()}
    known = {
        "accounts/token_views.py",
        "api_v1.py",
        "api/auth.py",
        "children/api_guardians.py",
        "children/views.py",
        "homeprogram/views_family.py",
        "notes/api.py",
        "notes/views_cosign.py",
    }
    assert known <= modules, known - modules
    assert not any("/tests/" in m or "/migrations/" in m for m in modules)


def test_surface_names() -> None:
    assert is_surface(Path("plans/api/goals.py"))
    assert is_surface(Path("plans/views/__init__.py"))
    assert is_surface(Path("homeprogram/api_practice.py"))
    assert not is_surface(Path("plans/access.py"))
    assert not is_surface(Path("plans/tests/test_views.py"))
    assert not is_surface(Path("core/apps.py"))


def test_protected_models_are_found_from_the_registry() -> None:
    names = protected()
    org_owned = {"Membership", "Invitation", "GoalBankEntry", "Resource", "Workshop"}
    child_data = {"Child", "HistoricalChild", "Diagnosis", "GuardianLink", "SessionNote"}
    assert org_owned | child_data | {"Organization", "ApiToken", "AccessLog"} <= names
    assert not {"User", "Session", "EmailAddress", "Authenticator"} & names
