"""The API authorization matrix: every operation in the OpenAPI schema, as every persona.

Operations are read from the live OpenAPI schema, so a new endpoint is covered the
moment it exists; one whose path parameters or write rule are unknown fails until
its app's ``tests/matrix.py`` says what it should allow (``API_WRITE_RULES`` for
child-scoped writes, ``API_COLLECTION_RULES`` for operations not under a child, and
``API_ORG_FILLERS`` for the objects such operations name in their paths).
"""

import json
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import Role
from tandem.api_v1 import api
from tandem.core.tests.test_authorization_matrix import (
    FILLERS,
    MATRIX_MODULES,
    PERSONAS,
    matrix,  # noqa: F401 - the fixture
    may_write,
    shared_parts,
    visible_children,
)

API_PREFIX = "/api/v1"
API_WRITE_RULES: dict[tuple[str, str], str] = {}
# Operations not under one child: (METHOD, path) → roles that may use them.
API_COLLECTION_RULES: dict[tuple[str, str], set[str]] = {}
# Child-scoped reads not every viewer of the child may make: ("GET", path) → rule. Who fails
# the rule gets 404 for every method on that path (the record's existence is not revealed).
API_READ_RULES: dict[tuple[str, str], str] = {}
# Child-scoped operations collaborators may use: (METHOD, path) → the part of the record a
# guardian's consent must share. Every other child-scoped operation is 404 for them.
API_CONSENT_RULES: dict[tuple[str, str], str] = {}
# Objects named in paths not under a child (a library resource …): parameter name →
# function (organization) → the id of one such object of that organization, which every
# role the operation's API_COLLECTION_RULES allow may reach. Each such path is called with
# an object of the caller's own clinic, then with one of the other clinic (always 404).
API_ORG_FILLERS: dict[str, Any] = {}
for module in MATRIX_MODULES:
    API_ORG_FILLERS.update(getattr(module, "API_ORG_FILLERS", {}))
    API_READ_RULES.update(getattr(module, "API_READ_RULES", {}))
    API_CONSENT_RULES.update(getattr(module, "API_CONSENT_RULES", {}))
    API_WRITE_RULES.update(getattr(module, "API_WRITE_RULES", {}))
    API_COLLECTION_RULES.update(getattr(module, "API_COLLECTION_RULES", {}))

ALL_ROLES = set(Role.values)


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, item in schema["paths"].items():
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                found.append((method.upper(), path.removeprefix(API_PREFIX)))
    return sorted(found)


OPERATIONS = operations()


def fill(path: str, child: Any) -> str:
    """Put the child's id and its related objects' ids into a path template."""
    result = path
    while "{" in result:
        name = result[result.index("{") + 1 : result.index("}")]
        if name == "child_id":
            value = child.id
        else:
            assert name in FILLERS, f"{path}: teach the matrix to fill {{{name}}}"
            value = FILLERS[name](child)
        result = result.replace("{" + name + "}", str(value))
    return API_PREFIX + result


def fill_org(path: str, organization: Any) -> str:
    """Put the ids of one organization's objects into a path not under a child."""
    result = path
    while "{" in result:
        name = result[result.index("{") + 1 : result.index("}")]
        assert name in API_ORG_FILLERS, f"{path}: teach the matrix to fill {{{name}}}"
        result = result.replace("{" + name + "}", str(API_ORG_FILLERS[name](organization)))
    return API_PREFIX + result


def urls_of(world, persona: str | None, path: str) -> list[tuple[str, Any, bool]]:  # type: ignore[no-untyped-def]
    """The URLs to call for an operation: (url, the child it is about, whether it names an
    object of the other clinic). Without a persona (signed out), one URL is enough."""
    if "{child_id}" in path:
        children = [world.child, world.other_child, world.foreign_child]
        return [(fill(path, c), c, False) for c in children[: 1 if persona is None else 3]]
    if "{" not in path:
        return [(API_PREFIX + path, None, False)]
    if persona is None:
        return [(fill_org(path, world.org), None, False)]
    own = getattr(world, persona).organization
    other = world.foreign_org if own.pk == world.org.pk else world.org
    return [(fill_org(path, own), None, False), (fill_org(path, other), None, True)]


def call(client: Client, method: str, url: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps({}), content_type="application/json")


def expected(world, persona: str, method: str, path: str, child: Any) -> set[int]:  # type: ignore[no-untyped-def]
    member = getattr(world, persona)
    if "{child_id}" not in path:
        roles = API_COLLECTION_RULES.get((method, path))
        if roles is None:
            assert method == "GET", f"{method} {path}: add it to API_COLLECTION_RULES"
            roles = ALL_ROLES
        if member.role not in roles:
            return {403, 404}
        return {200} if method == "GET" else set(range(200, 500)) - {401, 403, 404}
    if member.role == Role.COLLABORATOR:
        part = API_CONSENT_RULES.get((method, path))
        if part is None or part not in shared_parts(world, persona, child):
            return {404}
        return {200} if method == "GET" else set(range(200, 500)) - {401, 403, 404}
    if child not in visible_children(world, persona):
        return {404}
    read_rule = API_READ_RULES.get(("GET", path))
    if read_rule and not may_write(world, persona, read_rule, child):
        return {404}
    if method == "GET":
        return {200}
    rule = API_WRITE_RULES.get((method, path))
    assert rule, f"{method} {path}: add its write rule to API_WRITE_RULES"
    if may_write(world, persona, rule, child):
        return set(range(200, 500)) - {401, 403, 404}
    return {403}


def operations_of(router_api: Any) -> list[tuple[str, str]]:
    """The (METHOD, path) operations of an API object, paths relative to /api/v1."""
    schema = router_api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, item in schema["paths"].items()
        for method in item
    )


def walk_as(world, client: Client, persona: str, operations: list[tuple[str, str]]) -> list[str]:  # type: ignore[no-untyped-def]
    """Call every operation as the persona on own, other-family and foreign children;
    return what answered outside the rules or showed a child the persona may not see."""
    hidden = {
        c.display_name for c in (world.child, world.sibling, world.other_child, world.foreign_child)
    } - {c.display_name for c in visible_children(world, persona)}
    failures = []
    for method, path in operations:
        for url, child, elsewhere in urls_of(world, persona, path):
            response = call(client, method, url)
            allowed = {404} if elsewhere else expected(world, persona, method, path, child)
            if response.status_code not in allowed:
                failures.append(
                    f"{method} {url} → {response.status_code} (allowed {sorted(allowed)[:5]})"
                )
                continue
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/json"), url
            if response.status_code == 200:
                body = response.content.decode()
                leaked = [name for name in hidden if name in body]
                if leaked:
                    failures.append(f"{method} {url} shows {leaked}")
    return failures


def signed_out_failures(world, client: Client, operations: list[tuple[str, str]]) -> list[str]:  # type: ignore[no-untyped-def]
    """The operations that answer a caller with no credentials with anything but 401."""
    failures = []
    for method, path in operations:
        [(url, _child, _elsewhere)] = urls_of(world, None, path)
        status = call(client, method, url).status_code
        if status != 401:
            failures.append(f"{method} {url} → {status}")
    return failures


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_as_persona(matrix, client_as, persona: str) -> None:  # noqa: F811
    failures = walk_as(matrix, client_as(getattr(matrix, persona)), persona, OPERATIONS)
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_signed_out_callers_get_401_everywhere(matrix) -> None:  # noqa: F811
    client = Client()
    for method, path in OPERATIONS:
        [(url, _child, _elsewhere)] = urls_of(matrix, None, path)
        response = call(client, method, url)
        assert response.status_code == 401, f"{method} {url} → {response.status_code}"


def test_the_schema_has_operations() -> None:
    assert len(OPERATIONS) >= 5


@pytest.mark.parametrize("persona", ["admin", "therapist"])
def test_a_read_only_token_reads_like_its_member_and_changes_nothing(matrix, persona: str) -> None:  # noqa: F811
    """Every operation with a read-only personal token: reads answer as for the member's
    session; every write is refused (403, or 404 where the member sees nothing)."""
    from tandem.accounts.models import TokenScope
    from tandem.api.tests.conftest import make_token

    raw = make_token(getattr(matrix, persona), scope=TokenScope.READ)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    failures = []
    for method, path in OPERATIONS:
        for url, child, elsewhere in urls_of(matrix, persona, path):
            rules = {404} if elsewhere else expected(matrix, persona, method, path, child)
            allowed = rules if method == "GET" else (rules & {403, 404}) or {403}
            status = call(client, method, url).status_code
            if status not in allowed:
                failures.append(f"{method} {url} → {status} (allowed {sorted(allowed)[:5]})")
    assert not failures, f"{persona}:\n" + "\n".join(failures)
