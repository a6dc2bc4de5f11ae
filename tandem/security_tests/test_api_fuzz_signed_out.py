"""Every operation refuses a caller without valid credentials (401), whatever they send.

Schemathesis's ``ignored_auth`` idea, as a property: generated requests for every operation
with no credentials, a made-up token, a guardian's token (tokens are for staff only) and a
revoked one all answer 401 with a JSON body, never data.
"""

from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tandem.api.tests.conftest import bearer, make_token
from tandem.core.testing.matrix import api_operations

from .fuzzing import (
    CLIENT,
    PLAIN,
    cases,
    fuzz_settings,
    nul_refused,
    rolled_back,
    served_in_process,
)
from .peers import API_PREFIX, targets

OPERATIONS = api_operations()


@pytest.fixture(scope="module")
def api_schema(peer_world: Any, django_db_blocker: Any) -> Any:
    with served_in_process(django_db_blocker) as schema:
        yield schema


@pytest.fixture(scope="module")
def strangers(peer_world: Any, django_db_blocker: Any) -> dict[str, dict[str, str]]:
    """Headers of callers who are nobody: each must get a 401."""
    with django_db_blocker.unblock():
        revoked = make_token(peer_world.therapist, revoked_at=timezone.now())
        return {
            "no credentials": {},
            "a made-up token": bearer("tdm_" + "x" * 40),
            "not a bearer token": {"Authorization": "Basic dGVzdDp0ZXN0"},
            "a guardian's token": bearer(make_token(peer_world.guardian)),
            "a revoked token": bearer(revoked),
        }


@pytest.mark.parametrize(
    "operation", OPERATIONS, ids=[f"{op.method} {op.path}" for op in OPERATIONS]
)
def test_operation_refuses_strangers(
    api_schema: Any, peer_world: Any, strangers: dict[str, dict[str, str]], db: Any, operation: Any
) -> None:
    schema_operation = api_schema[API_PREFIX + operation.path][operation.method]
    admin = next(i for i in peer_world.identities if i.name == "admin")
    choices = targets(peer_world, admin, operation.path)

    @fuzz_settings(operation.method, operation.path, "signed out")
    @given(
        case=cases(schema_operation),
        target=st.sampled_from(choices),
        stranger=st.sampled_from(sorted(strangers)),
    )
    def example(case: Any, target: Any, stranger: str) -> None:
        case.path_parameters = {**(case.path_parameters or {}), **target.path_parameters}
        with rolled_back():
            response = case.call(headers=PLAIN | strangers[stranger], environ_base=CLIENT)
        assert response.status_code == 401 or nul_refused(response), (
            f"{stranger}: {operation.method} {case.formatted_path} → {response.status_code}"
        )
        assert response.headers["content-type"][0].startswith("application/json")

    example()
