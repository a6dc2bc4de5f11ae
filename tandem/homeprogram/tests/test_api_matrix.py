"""The API authorization matrix over the home program router's own operations.

The project-wide matrix (core/tests/test_api_authorization_matrix.py) walks the
operations the project's API object mounts; this runs the same expectations over
this router on its own API object, so the home program endpoints are held to them too.
"""

import pytest

from tandem.core.tests import test_api_authorization_matrix as api_matrix
from tandem.core.tests.test_authorization_matrix import (
    PERSONAS,
    matrix,  # noqa: F401 - the fixture
)
from tandem.homeprogram.tests.api_urls import api

pytestmark = pytest.mark.urls("tandem.homeprogram.tests.api_urls")


OPERATIONS = api_matrix.operations_of(api)


def test_the_router_has_every_home_program_operation() -> None:
    assert len(OPERATIONS) == 12
    writes = {op for op in OPERATIONS if op[0] != "GET" and "{child_id}" in op[1]}
    assert writes == set(api_matrix.API_WRITE_RULES) & writes
    assert writes <= set(api_matrix.API_WRITE_RULES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_home_program_operation_as_persona(matrix, client_as, persona: str) -> None:  # noqa: F811
    failures = api_matrix.walk_as(matrix, client_as(getattr(matrix, persona)), persona, OPERATIONS)
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_signed_out_callers_get_401(matrix, client) -> None:  # noqa: F811
    failures = api_matrix.signed_out_failures(matrix, client, OPERATIONS)
    assert not failures, "\n".join(failures)
