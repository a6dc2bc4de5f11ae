"""The authorization matrix harness: personas, route and operation walkers, and the oracle.

Every page route (read from the URL resolver) and every API operation (read from the
OpenAPI schema) is called as every persona against their own clinic's children, another
family's child and another clinic's child; the expected answer comes from the rules
below and from what each app's ``tests/matrix.py`` states in plain data, written from
PRODUCT.md, never from the access code under test:

- outsiders (another clinic, another family, a therapist not on the team) get 404;
- members who may read but not write get 403 on writes;
- a page meant for other roles is 404 (it is not there for you);
- a collaborator reaches only what an active consent shares with them for that child;
- the front desk and billing reach only the pages and operations their app's
  ``OFFICE_RULES`` / ``OFFICE_API_RULES`` name (scheduling and intake; billing's minimum);
- nobody ever gets a 500, and no answer shows a child the viewer may not see.

Each app walks its own routes and operations in ``<app>/tests/test_matrix.py``
(``walks("<app>")``); ``core/tests/test_authorization_matrix.py`` fails when a route or
operation belongs to an app without a walk. The world is built once per test module
(``matrix_world``, see tandem/conftest.py): every test runs in a savepoint rolled back
after it, so a write in one case never shows in the next.

What an app's ``tests/matrix.py`` may state (all optional):

- ``WRITE_RULES``: child-scoped page route → who may POST: "editor" (admins, lead and
  treating therapists), "admin", "guardian", "legal_guardian", "staff" (admins and any
  care-team seat), or rules joined by "|";
- ``READ_RULES``: child-scoped pages only some viewers of the child may open (same rules);
- ``CONSENT_RULES``: route → the part of the record ("summary", "observations", "notes")
  a consent must share for a collaborator to open it;
- ``OFFICE_RULES``: route → {"front_desk": "read" | "write", "billing": …}: what the office
  roles may do there; a route not named is not there for them (404);
- ``FILLERS``: URL parameter → function(child) → id of that child's object;
- ``OBJECT_FILLERS``: URL parameter of a route not under a child → function(world) →
  list of ``Touch(id, children)``: an object that may touch several children (a group
  session); the oracle treats the route as the rules of the children it touches;
- ``ORG_FILLERS``: URL parameter of a clinic's record that names no child (a referral)
  → function(world) → (id in the world's clinic, id in the other clinic): members of the
  other clinic find nothing there (404), the route's roles of this one open it;
- ``populate(world)``: creates those objects;
- the API's ``API_WRITE_RULES``, ``API_READ_RULES``, ``API_CONSENT_RULES``,
  ``API_COLLECTION_RULES`` (operations not under a child → roles), ``API_ORG_FILLERS``
  and ``OFFICE_API_RULES`` ((METHOD, path) → office roles that may use it).
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from . import rules
from .api import (
    WRITE_OK,
    Operation,
    api_failures,
    api_operations,
    call,
    expected_api,
    signed_out_api_failures,
    urls_of,
)
from .pages import Route, all_routes, anonymous_failures, expected_page, page_failures
from .rules import (
    ALL_ROLES,
    API_WRITE_RULES,
    CONSENT_RULES,
    FILLERS,
    PERSONAS,
    WRITE_RULES,
    Touch,
)
from .world import build_matrix_world

__all__ = [
    "ALL_ROLES",
    "API_WRITE_RULES",
    "CONSENT_RULES",
    "FILLERS",
    "PERSONAS",
    "WRITE_OK",
    "WRITE_RULES",
    "Operation",
    "Route",
    "Touch",
    "all_routes",
    "api_operations",
    "build_matrix_world",
    "call",
    "expected_api",
    "expected_page",
    "rules",
    "urls_of",
    "walks",
]

# --- Each app's walk ----------------------------------------------------------------


def walks(app: str) -> dict[str, Callable[..., None]]:
    """The matrix tests of one app: its pages and operations as every persona, and
    signed out. An app's ``tests/test_matrix.py`` is ``globals().update(walks("notes"))``.
    """
    from tandem.conftest import sign_in

    routes = [r for r in all_routes() if r.app == app]
    operations = [op for op in api_operations() if op.app == app]
    tests: dict[str, Callable[..., None]] = {}

    if routes:
        cases = [(persona, route) for route in routes for persona in PERSONAS]

        @pytest.mark.parametrize(
            ("persona", "route"), cases, ids=[f"{p}-{r.name}" for p, r in cases]
        )
        def test_page_as_persona(matrix_world: Any, db: Any, persona: str, route: Route) -> None:
            client = sign_in(Client(), getattr(matrix_world, persona))
            failures = page_failures(matrix_world, client, persona, route)
            assert not failures, "\n".join(failures)

        @pytest.mark.parametrize("route", routes, ids=[r.name for r in routes])
        def test_page_signed_out(matrix_world: Any, db: Any, route: Route) -> None:
            failures = anonymous_failures(matrix_world, route)
            assert not failures, "\n".join(failures)

        tests |= {
            "test_page_as_persona": test_page_as_persona,
            "test_page_signed_out": test_page_signed_out,
        }

    if operations:

        @pytest.mark.parametrize("persona", PERSONAS)
        def test_api_as_persona(matrix_world: Any, db: Any, persona: str) -> None:
            client = sign_in(Client(), getattr(matrix_world, persona))
            failures = api_failures(matrix_world, client, persona, operations)
            assert not failures, f"{persona}:\n" + "\n".join(failures)

        def test_api_signed_out(matrix_world: Any, db: Any) -> None:
            failures = signed_out_api_failures(matrix_world, operations)
            assert not failures, "\n".join(failures)

        tests |= {
            "test_api_as_persona": test_api_as_persona,
            "test_api_signed_out": test_api_signed_out,
        }

    assert tests, f"{app} has no routes and no API operations to walk"
    return tests
