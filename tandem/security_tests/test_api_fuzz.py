"""Schemathesis against the OpenAPI schema, as two peers of every role and the other clinic.

Every operation of the live schema (GET, POST, PUT, PATCH, DELETE) gets generated requests
(valid ones, and some the schema forbids) as each identity of ``peers.py``, with path
parameters naming their own child's records, their peer's, a mix of the two, and another
clinic's. Each answer must be no 5xx, conform to the schema (status code, content type,
body), and name nothing the identity may not see; a change on a child they may not see is
refused (403/404); a request naming the peer's record under one's own child, or another
clinic's record, never succeeds. Each example runs in a savepoint rolled back after it.
"""

from typing import Any

import pytest

from tandem.core.testing.matrix import api_operations

from .fuzzing import cross_identity_failures, fuzz_operation, send, served_in_process
from .peers import Target

OPERATIONS = api_operations()


@pytest.fixture(scope="module")
def api_schema(peer_world: Any, django_db_blocker: Any) -> Any:
    with served_in_process(django_db_blocker) as schema:
        yield schema


def test_every_operation_of_the_live_schema_is_fuzzed(api_schema: Any) -> None:
    served = {
        (operation.method.upper(), operation.path.removeprefix("/api/v1"))
        for operation in (result.ok() for result in api_schema.get_all_operations())
    }
    assert served == {(op.method, op.path) for op in OPERATIONS}


def test_every_identity_calls_as_itself(api_schema: Any, peer_world: Any, db: Any) -> None:
    """Each identity's credentials work, writes included (a session's CSRF token too)."""
    me = api_schema["/api/v1/me"]["GET"]
    preferences = api_schema["/api/v1/notifications/preferences"]["PUT"]
    for identity in peer_world.identities:
        assert identity.secrets, f"{identity} may see everything: the leak check would be void"
        response = send(me.Case(), identity.headers, identity.cookies)
        assert response.status_code == 200, identity
        assert response.json()["membership"]["id"] == str(identity.membership.pk)
        write = send(preferences.Case(body={}), identity.headers, identity.cookies)
        assert write.status_code == 200, (identity, write.status_code, write.text[:200])


class _Answer:
    def __init__(self, status: int, body: object) -> None:
        self.status_code, self.body = status, body
        self.headers = {"content-type": ["application/json"]}

    def json(self) -> object:
        return self.body


def test_the_checks_see_a_leak_and_a_cross_write(peer_world: Any) -> None:
    guardian = next(i for i in peer_world.identities if i.name == "guardian")
    noah = peer_world.other_child
    listing = _Answer(200, [{"name": noah.display_name}])
    assert cross_identity_failures(guardian, Target("none", {}), [], "GET", "/x", listing)
    theirs = Target("peer", {"child_id": str(noah.pk)}, (noah,), noah)
    assert cross_identity_failures(guardian, theirs, [], "POST", "/x", _Answer(201, {}))
    mixed = Target("mixed", {}, (guardian.own, noah), noah)
    assert cross_identity_failures(guardian, mixed, [], "PATCH", "/x", _Answer(200, {}))
    own = Target("own", {}, (guardian.own,), guardian.own)
    assert cross_identity_failures(guardian, own, [noah], "POST", "/x", _Answer(201, {}))
    assert not cross_identity_failures(guardian, own, [], "POST", "/x", _Answer(201, {}))


@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{op.method} {op.path}" for op in OPERATIONS]
)
def test_operation_as_every_identity(
    api_schema: Any, peer_world: Any, db: Any, request: Any, operation: Any
) -> None:
    sent = fuzz_operation(api_schema, peer_world, operation.method, operation.path)
    request.node.user_properties.append(("requests", sent))  # in a --junitxml report
