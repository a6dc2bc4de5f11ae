"""The authorization matrix over /fhir/R4/: every route as every persona (see matrix.py).

The harness expects a signed-out visitor to be sent to the sign-in page; a FHIR client is
answered 401 with an OperationOutcome instead, so that one test is this app's own.
"""

from typing import Any

from django.test import Client
from django.urls import reverse

from tandem.core.testing.matrix import all_routes, walks
from tandem.core.testing.matrix.pages import targets

globals().update(walks("fhir"))


def test_page_signed_out(matrix_world: Any, db: None) -> None:  # replaces the harness's
    client = Client()
    for route in [r for r in all_routes() if r.app == "fhir"]:
        for _kind, kwargs, _target in targets(matrix_world, route):
            response = client.get(reverse(route.name, kwargs=kwargs))
            if route.name == "fhir:metadata":
                assert response.status_code == 200
                continue
            assert response.status_code == 401, route.name
            assert response.json()["resourceType"] == "OperationOutcome"
            assert response["WWW-Authenticate"].startswith("Bearer")
