"""A NUL character in a query string or an API body is refused with a 4xx, never stored or
searched for: PostgreSQL's text cannot hold one, and a search for ``a%00`` was a 500 (found
by the security suite's fuzzing, tandem/security_tests/)."""

import json

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.notes.models import SessionNote


def test_a_page_refuses_a_nul_in_its_query_string(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    assert client.get("/children/", {"q": "Ma\x00ya"}).status_code == 400
    assert client.get("/children/", {"q\x00": "Maya"}).status_code == 400
    assert client.get("/children/", {"q": "Maya"}).status_code == 200


def test_the_api_refuses_a_nul_in_a_filter_with_json(world: World, client_as: ClientAs) -> None:
    response = client_as(world.therapist).get("/api/v1/children", {"q": "a\x00"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_the_api_refuses_a_nul_in_a_body(world: World, client_as: ClientAs) -> None:
    note = {"date": "2026-01-05", "start_time": "10:00", "end_time": "10:30"}
    response = client_as(world.therapist).post(
        f"/api/v1/children/{world.child.id}/notes",
        json.dumps(note | {"objective": "Cut\u0000ting"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not SessionNote.objects.filter(child=world.child, objective__startswith="Cut").exists()
