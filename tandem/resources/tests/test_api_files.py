"""Handouts through the API: uploaded as multipart, checked by content, read back as base64."""

import base64
import uuid
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from tandem.resources import uploads
from tandem.resources.models import Resource

from .helpers import PDF, make_resource, png_bytes, upload

API = "/api/v1"
HANDOUTS = f"{API}/resources/handouts"


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def handout_form(**fields: Any) -> dict[str, Any]:
    return {
        "title": "Calm-down corner",
        "summary": "A picture schedule for the evening.",
        "domains": ["emotional_regulation", "sensory_processing"],
        "min_age_months": "24",
        "max_age_months": "96",
        "file": upload("corner.pdf", PDF, "application/pdf"),
    } | fields


def file_url(resource_id: uuid.UUID) -> str:
    return f"{API}/resources/{resource_id}/file"


def test_staff_add_a_handout_with_its_file(world, client_as):
    response = client_as(world.therapist).post(HANDOUTS, handout_form())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "handout" and data["has_file"] is True
    assert (data["file_type"], data["file_name"]) == ("pdf", "corner.pdf")
    assert data["domains"] == ["emotional_regulation", "sensory_processing"]
    assert (data["min_age_months"], data["max_age_months"]) == (24, 96)
    resource = Resource.objects.get()
    assert resource.file.name.startswith(f"private/resources/{world.org.id}/")
    assert "corner" not in resource.file.name  # the uploaded name never reaches the disk


def test_a_file_is_known_by_its_content_not_its_name(world, client_as):
    picture = upload("schedule.pdf", png_bytes(), "application/pdf")
    response = client_as(world.admin).post(HANDOUTS, handout_form(file=picture))
    assert response.status_code == 201
    assert response.json()["file_type"] == "png"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"MZ\x90\x00 a program, not a handout", "Use a PDF, or a PNG or JPEG picture."),
        (b"%PDF-1.4\n cut short", "This PDF seems to be damaged."),
        (b"\x89PNG\r\n\x1a\n not really a picture", "This picture seems to be damaged."),
    ],
)
def test_bad_files_are_refused_with_a_reason(world, client_as, data, message):
    response = client_as(world.therapist).post(HANDOUTS, handout_form(file=upload("x.pdf", data)))
    assert response.status_code == 422
    assert response.json() == {"detail": {"file": [message]}}
    assert not Resource.objects.exists()


def test_a_file_over_the_limit_is_refused(world, client_as, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_RESOURCE_BYTES", 1024)
    big = PDF[:-6] + b" " * 2048 + b"%%EOF\n"
    response = client_as(world.therapist).post(HANDOUTS, handout_form(file=upload("big.pdf", big)))
    assert response.status_code == 422
    assert "too large" in response.json()["detail"]["file"][0]
    assert not Resource.objects.exists()


def test_form_fields_over_the_request_limit_are_413(world, client_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_as(world.therapist).post(HANDOUTS, handout_form(summary="s" * 2000))
    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large."}
    assert not Resource.objects.exists()


def test_malformed_handout_requests_get_json_errors(world, client_as):
    client = client_as(world.therapist)
    without_file = handout_form()
    del without_file["file"]
    for bad in (
        without_file,
        handout_form(title=""),
        handout_form(domains=["astrology"]),
        handout_form(min_age_months="50", max_age_months="10"),
        handout_form(colour="red"),
    ):
        response = client.post(HANDOUTS, bad)
        assert response.status_code == 422, bad
        assert response["Content-Type"].startswith("application/json")
    as_json = client.post(HANDOUTS, {"title": "x"}, content_type="application/json")
    assert as_json.status_code == 422
    broken = client.generic(
        "POST", HANDOUTS, b"--x\r\nnot a part", content_type="multipart/form-data; boundary=x"
    )
    assert 400 <= broken.status_code < 500
    assert broken["Content-Type"].startswith("application/json")
    assert not Resource.objects.exists()


def test_only_staff_add_handouts(world, client_as):
    for persona in (world.guardian, world.collaborator):
        assert client_as(persona).post(HANDOUTS, handout_form()).status_code == 404
    assert not Resource.objects.exists()


def test_staff_replace_a_handouts_file_based_on_its_version(world, client_as):
    client = client_as(world.therapist)
    created = client.post(HANDOUTS, handout_form()).json()
    url = file_url(created["id"])
    extra = client.post(f"{url}?version=1", {"file": upload("new.png", png_bytes()), "x": "1"})
    assert extra.json() == {"detail": {"x": ["This field is not expected here."]}}
    replaced = client.post(f"{url}?version=1", {"file": upload("new.png", png_bytes())})
    assert replaced.status_code == 200
    assert (replaced.json()["file_type"], replaced.json()["version"]) == ("png", 2)
    stale = client.post(f"{url}?version=1", {"file": upload("late.pdf", PDF)})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    damaged = client.post(f"{url}?version=2", {"file": upload("bad.pdf", b"%PDF-1.4 no end")})
    assert damaged.status_code == 422
    assert damaged.json() == {"detail": {"file": ["This PDF seems to be damaged."]}}
    assert client.post(url, {"file": upload("new.pdf", PDF)}).status_code == 422  # no version
    assert client.post(f"{url}?version=2", {}).status_code == 422  # no file
    resource = Resource.objects.get()
    assert (resource.file_type, resource.file_name, resource.version) == ("png", "new.png", 2)


def test_only_handouts_have_a_file(world, client_as):
    text = make_resource(world.therapist)
    response = client_as(world.therapist).post(
        f"{file_url(text.id)}?version=1", {"file": upload("x.pdf", PDF)}
    )
    assert response.status_code == 422
    assert response.json() == {"detail": {"file": ["Only a handout has a file."]}}
    text.refresh_from_db()
    assert not text.file and text.version == 1


def test_replacing_a_file_is_for_the_clinics_staff(world, client_as):
    created = client_as(world.therapist).post(HANDOUTS, handout_form()).json()
    url = f"{file_url(created['id'])}?version=1"
    for persona in (world.guardian, world.collaborator, world.foreign_admin):
        response = client_as(persona).post(url, {"file": upload("x.png", png_bytes())})
        assert response.status_code == 404, persona
    assert client_as(world.therapist).post(
        f"{API}/resources/not-an-id/file?version=1", {"file": upload("x.png", png_bytes())}
    ).status_code in (404, 422)
    assert Resource.objects.get().file_type == "pdf"


def test_the_file_is_read_back_by_staff_and_the_families_it_is_for(world, client_as):
    from tandem.resources import actions

    created = client_as(world.therapist).post(HANDOUTS, handout_form()).json()
    resource = Resource.objects.get(pk=created["id"])
    url = file_url(resource.id)
    data = client_as(world.admin).get(url).json()
    assert base64.b64decode(data["data_base64"]) == PDF
    assert (data["file_name"], data["content_type"], data["size"]) == (
        "corner.pdf",
        "application/pdf",
        len(PDF),
    )
    assert client_as(world.guardian).get(url).status_code == 404  # not shared with them yet
    actions.share_resource(world.therapist, world.child, resource)
    assert client_as(world.guardian).get(url).json()["data_base64"] == data["data_base64"]
    for outsider in (world.other_guardian, world.collaborator, world.foreign_admin):
        assert client_as(outsider).get(url).status_code == 404
    text = make_resource(world.therapist)
    assert client_as(world.therapist).get(file_url(text.id)).status_code == 404
