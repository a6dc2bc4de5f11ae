"""The API walker: every operation of the OpenAPI schema, its path filled, and the answer
the rules expect for each persona and object."""

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.test import Client

from tandem.accounts.models import Role

from .pages import app_of_module
from .rules import (
    ALL_ROLES,
    API_COLLECTION_RULES,
    API_CONSENT_RULES,
    API_ORG_FILLERS,
    API_PREFIX,
    API_READ_RULES,
    API_WRITE_RULES,
    FILLERS,
    OBJECT_FILLERS,
    OFFICE,
    OFFICE_API_RULES,
    Touch,
    hidden_names,
    may_write,
    shared_parts,
    visible_children,
)

# --- The API -----------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # relative to /api/v1
    app: str


def api_operations(api: Any = None) -> list[Operation]:
    """Every operation of an API object (the project's by default), with its app."""
    if api is None:
        return list(_project_operations())
    return _operations(api)


@functools.cache
def _project_operations() -> tuple[Operation, ...]:
    """The project's operations, worked out once per test process: building the OpenAPI
    schema takes seconds, and every app's matrix module asks at collection."""
    from tandem.api_v1 import api

    return tuple(_operations(api))


def _operations(api: Any) -> list[Operation]:
    schema_paths = set(api.get_openapi_schema(path_prefix=API_PREFIX + "/")["paths"])
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = "/" + "/".join(p.strip("/") for p in (prefix, path) if p.strip("/"))
            for operation in path_view.operations:
                app = app_of_module(operation.view_func.__module__)
                for method in operation.methods:
                    found.append(Operation(method.upper(), full, app))
    paths = {API_PREFIX + op.path for op in found}
    assert paths == schema_paths, f"operations outside the schema: {paths ^ schema_paths}"
    return sorted(found, key=lambda op: (op.path, op.method))


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


def urls_of(world: Any, persona: str | None, path: str) -> list[tuple[str, Any, bool]]:
    """The URLs to call for an operation: (url, the child it is about, whether it names an
    object of the other clinic). Without a persona (signed out), one URL is enough."""
    if "{child_id}" in path:
        children = [world.child, world.other_child, world.foreign_child]
        return [(fill(path, c), c, False) for c in children[: 1 if persona is None else 3]]
    if "{" not in path:
        return [(API_PREFIX + path, None, False)]
    if touching := _touching(path):
        name = touching[0]
        touches = OBJECT_FILLERS[name](world)
        touches = touches[:1] if persona is None else touches
        return [(API_PREFIX + path.replace("{" + name + "}", str(t.id)), t, False) for t in touches]
    if persona is None:
        return [(fill_org(path, world.org), None, False)]
    own = getattr(world, persona).organization
    other = world.foreign_org if own.pk == world.org.pk else world.org
    return [(fill_org(path, own), None, False), (fill_org(path, other), None, True)]


def call(client: Client, method: str, url: str) -> Any:
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, json.dumps({}), content_type="application/json")


WRITE_OK = set(range(200, 500)) - {401, 403, 404}


def _office_api(persona: str, method: str, path: str) -> set[int]:
    allowed = OFFICE_API_RULES.get((method, path), set())
    if persona in allowed:
        return {200} if method == "GET" else WRITE_OK
    if method == "GET":
        return {404}
    # A write refused on a record the role reads (the same path, or the collection an
    # object's path ends in) is 403; a record the role does not read is not there (404).
    record = {path}
    if path.endswith("}"):
        record.add(path.rsplit("/", 1)[0])
    reads = {p for (m, p), roles in OFFICE_API_RULES.items() if m == "GET" and persona in roles}
    return {403} if record & reads else {404}


def _touching(path: str) -> list[str]:
    """The path's parameters naming objects that touch several children (OBJECT_FILLERS)."""
    return [name for name in OBJECT_FILLERS if "{" + name + "}" in path]


def expected_api(world: Any, persona: str, method: str, path: str, child: Any) -> set[int]:
    member = getattr(world, persona)
    if isinstance(child, Touch):
        # Seen when one of its children is; the rules of each child it touches hold.
        answers = [expected_api(world, persona, method, path, c) for c in child.children]
        allowed = [a for a in answers if a != {404}]
        return set.intersection(*allowed) if allowed else {404}
    if "{child_id}" not in path and not _touching(path):
        roles = API_COLLECTION_RULES.get((method, path))
        if roles is None:
            assert method == "GET", f"{method} {path}: add it to API_COLLECTION_RULES"
            roles = ALL_ROLES
        if member.role not in roles:
            return {403, 404}
        return {200} if method == "GET" else WRITE_OK
    if member.role == Role.COLLABORATOR:
        part = API_CONSENT_RULES.get((method, path))
        if part is None or part not in shared_parts(world, persona, child):
            return {404}
        return {200} if method == "GET" else WRITE_OK
    if child not in visible_children(world, persona):
        return {404}
    if persona in OFFICE:
        return _office_api(persona, method, path)
    read_rule = API_READ_RULES.get(("GET", path))
    if read_rule and not may_write(world, persona, read_rule, child):
        return {404}
    if method == "GET":
        return {200}
    rule = API_WRITE_RULES.get((method, path))
    assert rule, f"{method} {path}: add its write rule to API_WRITE_RULES"
    return WRITE_OK if may_write(world, persona, rule, child) else {403}


def api_failures(
    world: Any, client: Client, persona: str, operations: Iterable[Operation]
) -> list[str]:
    """Call every operation as the persona on own, other-family and foreign children;
    return what answered outside the rules or showed a child the persona may not see."""
    hidden = hidden_names(world, persona)
    failures = []
    for op in operations:
        for url, child, elsewhere in urls_of(world, persona, op.path):
            response = call(client, op.method, url)
            allowed = (
                {404} if elsewhere else expected_api(world, persona, op.method, op.path, child)
            )
            if response.status_code not in allowed:
                failures.append(
                    f"{op.method} {url} → {response.status_code} (allowed {sorted(allowed)[:5]})"
                )
                continue
            if response.status_code >= 400 and not response["Content-Type"].startswith(
                "application/json"
            ):
                failures.append(f"{op.method} {url} → {response.status_code} without JSON")
            if response.status_code == 200:
                body = response.content.decode()
                if leaked := [name for name in hidden if name in body]:
                    failures.append(f"{op.method} {url} shows {leaked}")
    return failures


def signed_out_api_failures(world: Any, operations: Iterable[Operation]) -> list[str]:
    """The operations that answer a caller with no credentials with anything but 401."""
    client = Client()
    failures = []
    for op in operations:
        [(url, _child, _elsewhere)] = urls_of(world, None, op.path)
        status = call(client, op.method, url).status_code
        if status != 401:
            failures.append(f"{op.method} {url} → {status}")
    return failures
