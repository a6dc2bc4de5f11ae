"""The authorization matrix over the bulk exports (see matrix.py).

The clinic's page and its cancel are walked by the harness. The FHIR routes answer as a
FHIR server does (a kick-off is 202, signed out is 401, never a redirect), so their walk
is this module's own: every persona on every route, GET and POST (a kick-off's other
method: 400 without its Parameters), on each object.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.conftest import sign_in
from tandem.core.testing.matrix import PERSONAS, all_routes, walks
from tandem.core.testing.matrix.pages import page_failures

globals().update(walks("bulkdata"))

ASYNC = {"Prefer": "respond-async", "Accept": "application/fhir+json"}
ROUTES = [r for r in all_routes() if r.app == "bulkdata"]
PAGES = [r for r in ROUTES if r.name.startswith("bulkdata:")]
FHIR = [r for r in ROUTES if r.name.startswith("fhir:")]
STAFF = {"admin", "therapist", "front_desk", "billing"}
GROUP_READERS = {"admin", "therapist", "front_desk"}


def _program(world: Any, org: Any) -> Any:
    from tandem.groups.models import GroupProgram

    return GroupProgram.objects.filter(organization=org).order_by("created_at").first()


def fhir_targets(world: Any, name: str) -> list[tuple[dict[str, Any], Any]]:
    """Each object the route may name: (kwargs, whose it is)."""
    if name in ("fhir:export", "fhir:patient-export"):
        return [({}, None)]
    if name == "fhir:group-export":
        return [
            ({"bulk_group_id": str(_program(world, world.org).pk)}, ("group", world.org)),
            (
                {"bulk_group_id": str(_program(world, world.foreign_org).pk)},
                ("group", world.foreign_org),
            ),
            ({"bulk_group_id": f"caseload-{world.therapist.pk}"}, ("caseload", world.therapist)),
        ]
    jobs = [(world.bulk_jobs["own"], "admin"), (world.bulk_jobs["foreign"], "foreign_admin")]
    if name == "fhir:export-status":
        return [({"bulk_status_id": str(job.pk)}, owner) for job, owner in jobs]
    return [
        ({"bulk_status_id": str(job.pk), "bulk_file": "Organization.ndjson"}, owner)
        for job, owner in jobs
    ]


def expected(world: Any, persona: str, name: str, target: Any) -> int:
    """What PRODUCT.md's roles say this persona gets on a GET (see matrix.py)."""
    member = getattr(world, persona)
    role = str(member.role)
    if name == "fhir:export":
        return 202 if role == "admin" else 404
    if name == "fhir:patient-export":
        return 202 if role in STAFF else 404
    if name == "fhir:group-export":
        kind, whose = target
        if kind == "group":
            same = whose.pk == member.organization_id
            return 202 if same and role in GROUP_READERS else 404
        same = whose.organization_id == member.organization_id
        mine = member.pk == whose.pk
        return 202 if same and (mine or role in {"admin", "front_desk"}) else 404
    # A job's status and its files: the member who asked only.
    return 200 if persona == target else 404


@pytest.mark.parametrize(
    ("persona", "route"),
    [(p, r) for r in ROUTES for p in PERSONAS],
    ids=[f"{p}-{r.name}" for r in ROUTES for p in PERSONAS],
)
def test_page_as_persona(matrix_world: Any, db: Any, persona: str, route: Any) -> None:
    client = sign_in(Client(), getattr(matrix_world, persona))
    if route in PAGES:
        failures = page_failures(matrix_world, client, persona, route)
        assert not failures, "\n".join(failures)
        return
    for kwargs, target in fhir_targets(matrix_world, route.name):
        url = reverse(route.name, kwargs=kwargs)
        response = client.get(url, headers=ASYNC)
        want = expected(matrix_world, persona, route.name, target)
        assert response.status_code == want, (persona, url, response.status_code, want)
        if want == 404:
            assert response.json()["resourceType"] == "OperationOutcome"
        posted = client.post(url, headers=ASYNC).status_code
        if route.name.endswith("-export") or route.name == "fhir:export":
            assert posted == (400 if want == 202 else want), (persona, url, posted)  # no body
        else:
            assert posted == 405


def test_page_signed_out(matrix_world: Any, db: Any) -> None:  # replaces the harness's
    from tandem.core.testing.matrix.pages import anonymous_failures

    for route in PAGES:
        assert not anonymous_failures(matrix_world, route)
    client = Client()
    for route in FHIR:
        for kwargs, _target in fhir_targets(matrix_world, route.name):
            response = client.get(reverse(route.name, kwargs=kwargs), headers=ASYNC)
            assert response.status_code == 401, route.name
            assert response.json()["resourceType"] == "OperationOutcome"
            assert response["WWW-Authenticate"].startswith("Bearer")
