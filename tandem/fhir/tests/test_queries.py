"""A page of any type costs a bounded number of queries, the same with more records."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.conftest import sign_in
from tandem.core.testing import factories as f
from tandem.fhir.registry import SPECS

from .data import records_of
from .helpers import ok

pytestmark = pytest.mark.django_db
BUDGET = 12


def _counts(client: Client) -> dict[str, int]:
    counts = {}
    for resource_type in SPECS:
        with CaptureQueriesContext(connection) as captured:
            ok(client, resource_type, {"_count": 5})
        counts[resource_type] = len(captured)
    return counts


def _grow(world: Any, size: int) -> None:
    for n in range(size):
        kid = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Load")
        f.CareTeamMemberFactory(child=kid, therapist=world.therapist, role="lead")
        f.GuardianLinkFactory(child=kid)
        records_of(kid, measurements=2, plans=2)


def test_a_page_costs_the_same_queries_at_two_sizes(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    records_of(world.child)
    client = sign_in(Client(), world.therapist)
    _counts(client)  # the first request warms the caches of the process (content types …)
    small = _counts(client)
    _grow(world, 8)
    large = _counts(client)
    assert small == large
    for resource_type in SPECS:
        with django_assert_max_num_queries(BUDGET):
            ok(client, resource_type, {"_count": 5})
