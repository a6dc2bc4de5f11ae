"""Every query parameter of the API (sort, filter, search, page, dates, version) survives
hostile values: unicode, SQL and LIKE metacharacters, NUL bytes, very long strings, numbers
out of range, dates like 0000-00-00 and 9999-12-31, and real ids of records the caller may
or may not see.

Each operation with query parameters is called by a member it answers (the first identity
of ``CALLERS`` whose plain request is not refused), with hypothesis choosing the values.
The answer is a 2xx or a clear JSON 4xx, never a 5xx, and names no child (or record of a
child) the caller may not see. The parameters come from the live OpenAPI schema, and a test
fails when one appears that ``PARAMETERS`` does not know: a new filter is fuzzed the day
it is added.
"""

import zlib
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, example, given, seed, settings

from tandem.api_v1 import api

from .fuzzing import rolled_back
from .peers import API_PREFIX, Identity, targets, workshop_ids
from .values import EVERY_TIME, query_of

SCHEMA = api.get_openapi_schema()
OPERATIONS = sorted(
    (method.upper(), path.removeprefix(API_PREFIX), names)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if (names := tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query"))
)
# Every query parameter the API has, by what it does. The kind says which real values to
# try beside the hostile ones: ids of records of the caller's child, their peer's and the
# other clinic's; a schema's own choices (enum) are always tried too.
PARAMETERS = {
    "q": "search",
    "limit": "page",
    "offset": "page",
    "start": "date",
    "end": "date",
    "since": "date",
    "until": "date",
    "before": "date",
    "when": "filter",
    "status": "filter",
    "mark_read": "flag",
    "unread_only": "flag",
    "include_inactive": "flag",
    "reviewed": "flag",
    "days": "filter",
    "discipline": "filter",
    "domain": "filter",
    "kind": "filter",
    "language": "filter",
    "age_months": "filter",
    "plan_id": "record",
    "goal_id": "record",
    "activity_id": "record",
    "workshop_id": "workshop",
    "version": "version",
}
# Who calls: the first whose plain request the operation answers (not 401/403/404).
CALLERS = ("admin", "therapist", "guardian", "consented_collaborator", "billing", "front_desk")
OK = {200, 201, 204}
CLEAR = {400, 404, 409, 422}
EXAMPLES = 20


def test_every_query_parameter_of_the_api_is_fuzzed() -> None:
    found = {name for _method, _path, names in OPERATIONS for name in names}
    unknown = found - set(PARAMETERS)
    assert not unknown, f"new query parameters: add them to PARAMETERS: {sorted(unknown)}"


def client_of(identity: Identity) -> Client:
    client = Client(headers=identity.headers)
    for name, value in identity.cookies.items():
        client.cookies[name] = value
    return client


def call(client: Client, method: str, url: str, query: dict[str, Any]) -> Any:
    if method == "GET":
        return client.get(url, query)
    path = f"{url}?{urlencode(query)}" if query else url
    return client.generic(method, path, "{}", content_type="application/json")


def real_values(
    world: Any, identity: Identity, method: str, path: str, names: tuple[str, ...]
) -> dict[str, list[str]]:
    """Real values to try for each parameter: ids of records of the caller's own child,
    their peer's and the other clinic's, and the schema's choices."""
    operation = SCHEMA["paths"][API_PREFIX + path][method.lower()]
    parameters = {p["name"]: p for p in operation.get("parameters", [])}
    children = (identity.own, identity.peer, identity.elsewhere)
    records = {
        "plan_id": "plan_id",
        "goal_id": "goal_id",
        "activity_id": "home_activity_id" if "practice-logs" in path else "activity_id",
    }
    real: dict[str, list[str]] = {}
    for name in names:
        values = [str(v) for v in _choices(parameters.get(name, {}).get("schema", {}))]
        if name in records:
            values += [str(world.records[c.pk][records[name]]) for c in children]
        if PARAMETERS.get(name) == "workshop":
            values += workshop_ids()
        real[name] = values
    return real


def _choices(schema: dict) -> list[Any]:
    found = list(schema.get("enum", []))
    for option in schema.get("anyOf", []):
        found += option.get("enum", [])
    return found


def caller_of(world: Any, method: str, path: str) -> tuple[Identity, str]:
    """The first caller the operation answers, and the URL of their own child's record."""
    by_name = {identity.name: identity for identity in world.identities}
    for name in CALLERS:
        identity = by_name[name]
        target = targets(world, identity, path)[0]
        url = API_PREFIX + path.format(**target.path_parameters)
        with rolled_back():
            status = call(client_of(identity), method, url, {}).status_code
        if status not in (401, 403, 404):
            return identity, url
    raise AssertionError(f"{method} {path}: nobody in CALLERS may call it; add one")


@pytest.mark.parametrize(
    ("method", "path", "names"), OPERATIONS, ids=[f"{m} {p}" for m, p, _n in OPERATIONS]
)
def test_hostile_query_values_never_break_the_operation(
    peer_world: Any, db: Any, method: str, path: str, names: tuple[str, ...]
) -> None:
    identity, url = caller_of(peer_world, method, path)
    client = client_of(identity)
    never = identity.never_shown(method, path)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(zlib.crc32(f"{method} {path}".encode()))
    @given(query=query_of(names, real_values(peer_world, identity, method, path, names)))
    def check(query: dict[str, str]) -> None:
        with rolled_back():
            response = call(client, method, url, query)
        status = response.status_code
        shown = f"as {identity}: {method} {url} {query!r:.300} → {status}"
        assert status in OK | CLEAR, f"{shown} {response.content[:300]!r}"
        if status in CLEAR:
            assert response["Content-Type"].startswith("application/json"), shown
        else:
            body = response.content.decode("utf-8", "replace")
            assert not [s for s in never if s in body], f"{shown} names what they may not see"

    for name in names:  # each parameter alone, so that no other one is refused first
        for value in EVERY_TIME:
            check = example(query={name: value})(check)
    check()
