"""The staff library: write, upload (checked by content), link, tag, archive, filter."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from pytest_django.fixtures import Settings

from tandem.core.access import Conflict
from tandem.resources import actions
from tandem.resources.models import Resource, ResourceTag
from tandem.resources.uploads import MAX_RESOURCE_BYTES

from .helpers import PDF, make_resource, png_bytes, upload

EDIT = reverse("resources:edit")


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Calm-down corner",
        "kind": "text",
        "summary": "A quiet place to reset.",
        "body": "Make a corner with cushions.",
        "url": "",
        "language": "en",
        "domains": ["emotional_regulation", "sensory_processing"],
    }
    data.update(changes)
    return data


def test_staff_write_a_resource_with_domains(world, client_as):
    response = client_as(world.therapist).post(EDIT, form())
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('resources:detail')}?id={resource.id}"
    assert resource.created_by == world.therapist
    assert resource.organization == world.org
    assert sorted(t.domain for t in resource.tags.all()) == [
        "emotional_regulation",
        "sensory_processing",
    ]


def test_handout_upload_is_kept_outside_the_web_root_and_served_through_the_app(
    world, client_as, media
):
    client = client_as(world.admin)
    data = form(kind="handout", body="", upload=upload("visual schedule.png", png_bytes()))
    assert client.post(EDIT, data).status_code == 302
    resource = Resource.objects.get()
    assert resource.file_type == "png"
    assert resource.file.name.startswith(f"private/resources/{world.org.id}/")
    assert "visual schedule" not in resource.file.name
    assert (media / resource.file.name).read_bytes() == png_bytes()
    served = client.get(f"{reverse('resources:file')}?id={resource.id}")
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()


def test_a_pdf_handout_can_be_downloaded(world, client_as, media):
    client = client_as(world.admin)
    client.post(EDIT, form(kind="handout", upload=upload("sleep.pdf", PDF)))
    resource = Resource.objects.get()
    served = client.get(f"{reverse('resources:file')}?id={resource.id}&download=1")
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == 'attachment; filename="sleep.pdf"'


def test_a_handout_whose_file_is_missing_from_the_disk_is_not_found(world, client_as, media):
    client = client_as(world.admin)
    client.post(EDIT, form(kind="handout", upload=upload("sleep.pdf", PDF)))
    resource = Resource.objects.get()
    (media / resource.file.name).unlink()  # e.g. restored from a backup without the media

    served = client.get(f"{reverse('resources:file')}?id={resource.id}")

    assert served.status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("run.pdf", b"MZ\x90\x00 not a pdf", "Use a PDF, or a PNG or JPEG picture."),
        ("fake.png", b"\x89PNG\r\n\x1a\n broken", "This picture seems to be damaged."),
        ("cut.pdf", b"%PDF-1.4 no end", "This PDF seems to be damaged."),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_files_are_checked_by_content(world, client_as, media, name, data, message):
    response = client_as(world.admin).post(
        EDIT, form(kind="handout", upload=upload(name, data, "application/pdf"))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Resource.objects.exists()


def test_files_over_ten_megabytes_are_refused(world, client_as, media):
    big = PDF[:-7] + b"0" * MAX_RESOURCE_BYTES + b"\n%%EOF\n"
    response = client_as(world.admin).post(
        EDIT, form(kind="handout", upload=upload("big.pdf", big))
    )
    assert "The file is too large; the limit is 10.0" in response.content.decode()
    assert not Resource.objects.exists()


def test_each_kind_needs_its_content(world, client_as):
    client = client_as(world.admin)
    body = client.post(EDIT, form(kind="handout")).content.decode()
    assert "Choose the file to share" in body
    body = client.post(EDIT, form(body="")).content.decode()
    assert "Write the text families will read." in body
    body = client.post(EDIT, form(kind="video", body="")).content.decode()
    assert "Paste the link to the video." in body
    assert not Resource.objects.exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/v", "not a link"])
def test_video_links_must_be_web_addresses(world, client_as, link):
    response = client_as(world.admin).post(EDIT, form(kind="video", url=link))
    assert "Enter a web address (http or https)." in response.content.decode()
    assert not Resource.objects.exists()


def test_a_video_link_is_shown_as_a_link(world, client_as):
    client = client_as(world.therapist)
    client.post(EDIT, form(kind="video", url="https://videos.example.org/sensory"))
    resource = Resource.objects.get()
    page = client.get(f"{reverse('resources:detail')}?id={resource.id}").content.decode()
    assert 'href="https://videos.example.org/sensory"' in page
    assert 'rel="noopener noreferrer"' in page


def test_age_range_must_be_in_order(world, client_as):
    response = client_as(world.admin).post(EDIT, form(min_age_months=60, max_age_months=24))
    assert "The upper age must not be below the lower age." in response.content.decode()


def test_editing_keeps_a_version_and_refuses_a_stale_one(world, client_as):
    resource = make_resource(world.therapist)
    client = client_as(world.admin)
    url = f"{EDIT}?id={resource.id}"
    assert client.post(url, form(title="New title", version=1, domains=["play"])).status_code == 302
    resource.refresh_from_db()
    assert resource.title == "New title" and resource.version == 2
    assert list(ResourceTag.objects.filter(resource=resource).values_list("domain", flat=True)) == [
        "play"
    ]
    stale = client.post(url, form(title="Older edit", version=1))
    assert stale.status_code == 409
    resource.refresh_from_db()
    assert resource.title == "New title"
    with pytest.raises(Conflict):
        actions.update_resource(resource, expected_version=1, title="x")


def test_archiving_takes_it_out_of_the_library(world, client_as):
    resource = make_resource(world.therapist)
    client = client_as(world.therapist)
    response = client.post(f"{reverse('resources:archive')}?id={resource.id}", {"version": 1})
    assert response["Location"] == reverse("resources:index")
    assert "Button practice" not in client.get(reverse("resources:index")).content.decode()
    assert client.get(f"{reverse('resources:detail')}?id={resource.id}").status_code == 404


def test_the_library_is_for_staff_of_the_clinic(world, client_as):
    resource = make_resource(world.therapist)
    detail = f"{reverse('resources:detail')}?id={resource.id}"
    for outsider in (world.foreign_admin, world.foreign_therapist):
        client = client_as(outsider)
        assert client.get(detail).status_code == 404
        assert client.get(f"{EDIT}?id={resource.id}").status_code == 404
        assert "Button practice" not in client.get(reverse("resources:index")).content.decode()
    assert client_as(world.guardian).get(EDIT).status_code == 404
    assert client_as(world.collaborator).get(reverse("resources:index")).status_code == 404
    # A guardian reaches a resource only when it is for their family (not yet).
    assert client_as(world.guardian).get(detail).status_code == 404
    assert client_as(world.guardian).post(EDIT, form()).status_code == 404


def test_library_filters(world, client_as):
    make_resource(world.therapist, title="Feeding ideas", domains=["feeding"], language="es")
    make_resource(world.therapist, title="Toddler play", domains=["play"], max_age_months=36)
    client = client_as(world.therapist)

    def titles(**query: Any) -> set[str]:
        body = client.get(reverse("resources:index"), query).content.decode()
        return {t for t in ("Feeding ideas", "Toddler play") if t in body}

    assert titles() == {"Feeding ideas", "Toddler play"}
    assert titles(domain="feeding") == {"Feeding ideas"}
    assert titles(language="en") == {"Toddler play"}
    assert titles(age_months=60) == {"Feeding ideas"}
    assert titles(q="toddler") == {"Toddler play"}


def test_library_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    client = client_as(world.therapist)
    make_resource(world.therapist)
    client.get(reverse("resources:index"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("resources:index"))
    for n in range(15):
        make_resource(world.therapist, title=f"Resource {n}", domains=["play", "social"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("resources:index")).status_code == 200
