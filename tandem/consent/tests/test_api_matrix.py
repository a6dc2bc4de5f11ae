"""The API authorization matrix over the consent router's own operations, as every persona.

The same expectations as core/tests/test_api_authorization_matrix.py, on this router
alone, so the consent endpoints are held to them without walking the whole API.
"""

import pytest

from tandem.consent.tests.api_urls import api
from tandem.core.tests import test_api_authorization_matrix as api_matrix
from tandem.core.tests.test_authorization_matrix import (
    PERSONAS,
    matrix,  # noqa: F401 - the fixture
    visible_children,
)

pytestmark = pytest.mark.urls("tandem.consent.tests.api_urls")


def operations() -> list[tuple[str, str]]:
    found = []
    for path, item in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items():
        for method in item:
            found.append((method.upper(), path.removeprefix(api_matrix.API_PREFIX)))
    return sorted(found)


OPERATIONS = operations()


def test_the_router_has_every_consent_operation() -> None:
    assert len(OPERATIONS) == 7
    writes = {op for op in OPERATIONS if op[0] != "GET"}
    assert writes <= set(api_matrix.API_WRITE_RULES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_consent_operation_as_persona(matrix, client_as, persona: str) -> None:  # noqa: F811
    world = matrix
    client = client_as(getattr(world, persona))
    hidden = {
        c.display_name for c in (world.child, world.sibling, world.other_child, world.foreign_child)
    } - {c.display_name for c in visible_children(world, persona)}
    failures = []
    for method, path in OPERATIONS:
        under_child = "{child_id}" in path
        for child in (
            [world.child, world.other_child, world.foreign_child] if under_child else [None]
        ):
            url = api_matrix.fill(path, child) if child else api_matrix.API_PREFIX + path
            response = api_matrix.call(client, method, url)
            allowed = api_matrix.expected(world, persona, method, path, child)
            if response.status_code not in allowed:
                failures.append(
                    f"{method} {url} → {response.status_code} (allowed {sorted(allowed)[:5]})"
                )
                continue
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/json"), url
            if response.status_code == 200:
                leaked = [name for name in hidden if name in response.content.decode()]
                if leaked:
                    failures.append(f"{method} {url} shows {leaked}")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_signed_out_callers_get_401(matrix, client) -> None:  # noqa: F811
    for method, path in OPERATIONS:
        url = (
            api_matrix.fill(path, matrix.child)
            if "{child_id}" in path
            else api_matrix.API_PREFIX + path
        )
        assert api_matrix.call(client, method, url).status_code == 401, f"{method} {url}"
