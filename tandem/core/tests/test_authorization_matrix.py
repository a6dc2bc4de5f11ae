"""The authorization matrix covers every page route and every API operation.

Each app walks its own routes and operations (``<app>/tests/test_matrix.py``, with the
harness in tandem/core/testing/matrix.py); this test fails when a route or an operation
belongs to an app that has no walk, when a protected page declares no roles, or when a
route has parameters or a write rule the matrix cannot fill, so a new page or endpoint
is covered the moment it exists.
"""

import importlib.util
from typing import Any

import pytest

from tandem.core.testing import matrix as m

ROUTES = m.all_routes()
OPERATIONS = m.api_operations()


def _walked(app: str) -> bool:
    spec = importlib.util.find_spec(f"tandem.{app}.tests.test_matrix")
    return spec is not None and spec.origin is not None and "walks(" in open(spec.origin).read()


def test_every_route_and_operation_is_walked_by_its_app() -> None:
    apps = {r.app for r in ROUTES} | {op.app for op in OPERATIONS}
    unwalked = sorted(app for app in apps if not _walked(app))
    assert not unwalked, f"add tandem/<app>/tests/test_matrix.py with walks(app) for {unwalked}"


def test_every_protected_route_declares_its_roles() -> None:
    """A page without a kernel gate would be open to any signed-in person of any clinic."""
    undeclared = [r.name for r in ROUTES if not r.public and not r.roles]
    assert not undeclared, f"routes without @permits/member_required: {undeclared}"


def test_every_route_parameter_and_write_rule_is_known() -> None:
    """What a walk would only find out when it reached the route, said up front."""
    child_routes = [r for r in ROUTES if "child_id" in r.kwargs]
    unknown_kwargs = {r.name: set(r.kwargs) - {"child_id"} - set(m.FILLERS) for r in child_routes}
    assert not {k: v for k, v in unknown_kwargs.items() if v}
    # (What a collaborator sends is ruled by their consent, CONSENT_RULES.)
    writable = [r.name for r in child_routes if not r.get_only and r.name not in m.CONSENT_RULES]
    assert not [name for name in writable if name not in m.WRITE_RULES]
    ops = [op for op in OPERATIONS if "{child_id}" in op.path and op.method != "GET"]
    assert not [op for op in ops if (op.method, op.path) not in m.API_WRITE_RULES]


def test_the_matrix_covers_the_clinic(matrix_world: Any, db: None) -> None:
    names = {r.name for r in ROUTES}
    assert {"children:detail", "children:edit", "audit:child", "accounts:person"} <= names
    assert len(ROUTES) >= 30
    assert len(OPERATIONS) >= 100
    # Every role is a persona, the front desk and billing included.
    assert {getattr(matrix_world, p).role for p in m.PERSONAS} == set(m.ALL_ROLES)


def test_a_multi_child_object_is_seen_through_any_of_its_children(
    matrix_world: Any, db: None
) -> None:
    """The oracle for an object touching several children (a group session): visible to
    whoever sees one of its children, and held to the rules of each child they see."""
    w = matrix_world

    # A page (GET and POST) with the appointments' write rule ("editor"), on a group.
    def group_page(request: Any) -> None: ...

    group_page.member_roles = tuple(m.ALL_ROLES)  # type: ignore[attr-defined]
    route = m.Route("appointments:status", ("session_id",), view=group_page)
    both = m.Touch(id=1, children=(w.child, w.other_child))
    foreign = m.Touch(id=2, children=(w.foreign_child,))

    def answer(persona: str, target: m.Touch, method: str = "GET") -> set[int]:
        return m.expected_page(w, persona, route, "touch", target, method)

    assert answer("therapist", both) == answer("other_guardian", both) == {200}
    assert answer("guardian", foreign) == answer("collaborator", both) == {404}
    assert answer("therapist", both, "POST") == {200, 302, 409}  # editor of Maya's part
    assert answer("consulting_therapist", both, "POST") == {403}  # reads Maya's, edits none


def test_a_multi_child_api_object_is_seen_through_any_of_its_children(
    matrix_world: Any, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for an API path naming such an object: an app states OBJECT_FILLERS and
    the write rule, and the walker calls the path once per object."""
    w = matrix_world
    both = m.Touch(id=1, children=(w.child, w.other_child))
    monkeypatch.setitem(m.rules.OBJECT_FILLERS, "session_id", lambda world: [both])
    monkeypatch.setitem(m.rules.API_WRITE_RULES, ("PATCH", "/groups/{session_id}"), "editor")
    [(url, target, elsewhere)] = m.urls_of(w, "therapist", "/groups/{session_id}")
    assert (url, target, elsewhere) == ("/api/v1/groups/1", both, False)

    def answer(persona: str, method: str) -> set[int]:
        return m.expected_api(w, persona, method, "/groups/{session_id}", both)

    assert answer("therapist", "GET") == answer("other_guardian", "GET") == {200}
    assert answer("foreign_admin", "GET") == answer("collaborator", "GET") == {404}
    assert answer("therapist", "PATCH") == m.WRITE_OK
    assert answer("guardian", "PATCH") == {403}
