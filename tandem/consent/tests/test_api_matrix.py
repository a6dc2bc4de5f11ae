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
)

pytestmark = pytest.mark.urls("tandem.consent.tests.api_urls")


OPERATIONS = api_matrix.operations_of(api)


def test_the_router_has_every_consent_operation() -> None:
    assert len(OPERATIONS) == 4
    writes = {op for op in OPERATIONS if op[0] != "GET"}
    assert writes <= set(api_matrix.API_WRITE_RULES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_consent_operation_as_persona(matrix, client_as, persona: str) -> None:  # noqa: F811
    failures = api_matrix.walk_as(matrix, client_as(getattr(matrix, persona)), persona, OPERATIONS)
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_signed_out_callers_get_401(matrix, client) -> None:  # noqa: F811
    failures = api_matrix.signed_out_failures(matrix, client, OPERATIONS)
    assert not failures, "\n".join(failures)
