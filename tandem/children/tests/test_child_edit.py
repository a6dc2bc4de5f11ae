"""Editing the profile: validation, permissions, versions and conflicts."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from tandem.children.models import Child, Diagnosis
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def url(child: Child) -> str:
    return reverse("children:edit", args=[child.id])


def form_data(child: Child, **changes: object) -> dict[str, object]:
    data = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "preferred_name": child.preferred_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": child.sex,
        "preferred_languages": child.preferred_languages,
        "interests": child.interests,
        "version": child.version,
    }
    data.update(changes)
    return data


def picture(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format=fmt)
    return buffer.getvalue()


def test_lead_therapist_saves_changes_and_the_version_goes_up(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.therapist)
    response = client.post(url(world.child), form_data(world.child, interests="Lego"))
    assert response.status_code == 302
    child = Child.objects.get(pk=world.child.pk)
    assert child.interests == "Lego"
    assert child.version == world.child.version + 1


def test_every_change_keeps_a_version_with_who_and_what(world: World, client_as: ClientAs) -> None:
    client_as(world.therapist).post(url(world.child), form_data(world.child, interests="Lego"))
    latest = world.child.history.first()
    assert latest.history_user == world.therapist.user
    assert latest.interests == "Lego"
    assert latest.prev_record.interests == "Trains, water play"


def test_stale_version_is_refused_and_nothing_is_overwritten(
    world: World, client_as: ClientAs
) -> None:
    first = client_as(world.therapist)
    second = client_as(world.admin)
    opened_at = world.child.version
    first.post(url(world.child), form_data(world.child, interests="Lego", version=opened_at))
    response = second.post(
        url(world.child), form_data(world.child, interests="Music", version=opened_at)
    )
    assert response.status_code == 409
    assert "Someone else saved this profile" in response.content.decode()
    assert "Music" in response.content.decode()  # the second person's typing is kept in the form
    assert Child.objects.get(pk=world.child.pk).interests == "Lego"


def test_consulting_therapist_cannot_edit(world: World, client_as: ClientAs) -> None:
    client = client_as(world.consulting_therapist)
    assert client.get(url(world.child)).status_code == 403
    assert client.post(url(world.child), form_data(world.child, interests="X")).status_code == 403
    assert Child.objects.get(pk=world.child.pk).interests == "Trains, water play"


def test_guardian_cannot_edit_the_clinical_profile(world: World, client_as: ClientAs) -> None:
    assert (
        client_as(world.guardian).post(url(world.child), form_data(world.child)).status_code == 403
    )


def test_outsider_gets_404_on_edit(world: World, client_as: ClientAs) -> None:
    assert (
        client_as(world.unassigned_therapist)
        .post(url(world.child), form_data(world.child))
        .status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_of_birth": "2999-01-01"}, "cannot be in the future"),
        ({"first_name": ""}, "This field is required"),
        ({"gestational_age_weeks": "12"}, "between 22 and 44"),
        ({"sex": "X"}, "Select a valid choice"),
        ({"diagnoses": ["NOT-A-CODE"]}, "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    world: World, client_as: ClientAs, changes: dict[str, object], message: str
) -> None:
    response = client_as(world.therapist).post(url(world.child), form_data(world.child, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Child.objects.get(pk=world.child.pk).version == world.child.version


def test_diagnoses_come_from_the_shipped_icd10_list(world: World, client_as: ClientAs) -> None:
    data = form_data(world.child, diagnoses=["F84.0", "F82"])
    client_as(world.therapist).post(url(world.child), data)
    codes = set(Diagnosis.objects.filter(child=world.child).values_list("code", flat=True))
    assert codes == {"F84.0", "F82"}
    assert Diagnosis.objects.get(child=world.child, code="F84.0").label.lower().startswith("autis")


def test_photo_is_validated_and_served_only_through_the_access_layer(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = client_as(world.therapist)
    photo = SimpleUploadedFile("me.png", picture(), content_type="image/png")
    assert (
        client.post(url(world.child), {**form_data(world.child), "photo": photo}).status_code == 302
    )
    photo_url = reverse("children:photo", args=[world.child.id])
    assert client.get(photo_url).status_code == 200
    assert client_as(world.other_guardian).get(photo_url).status_code == 404


def test_photo_that_is_not_an_image_is_refused(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client_as(world.therapist).post(
        url(world.child), {**form_data(world.child), "photo": fake}
    )
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Child.objects.get(pk=world.child.pk).photo


def test_photo_over_the_size_limit_is_refused(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CHILD_PHOTO_MAX_BYTES = 100
    big = SimpleUploadedFile("big.png", picture(size=(200, 200)), content_type="image/png")
    response = client_as(world.therapist).post(
        url(world.child), {**form_data(world.child), "photo": big}
    )
    assert "too large" in response.content.decode()


def test_gif_photos_are_refused(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    gif = SimpleUploadedFile("a.gif", picture("GIF"), content_type="image/gif")
    response = client_as(world.therapist).post(
        url(world.child), {**form_data(world.child), "photo": gif}
    )
    assert "JPEG, PNG or WebP" in response.content.decode()


def test_admin_adds_a_child(world: World, client_as: ClientAs) -> None:
    data = form_data(world.child, first_name="Ada", last_name="New", version="")
    response = client_as(world.admin).post(reverse("children:new"), data)
    assert response.status_code == 302
    created = Child.objects.get(first_name="Ada")
    assert created.organization == world.org and created.version == 1


def test_therapists_cannot_add_children(world: World, client_as: ClientAs) -> None:
    assert client_as(world.therapist).get(reverse("children:new")).status_code == 404


def test_the_front_desk_edits_the_profile_without_seeing_or_changing_diagnoses(
    world: World, client_as: ClientAs
) -> None:
    """Diagnoses are clinical: the front desk's form has no such field, and its save keeps
    the ones the team recorded; the lead therapist's form shows them."""
    Diagnosis.objects.create(
        organization_id=world.child.organization_id,
        child=world.child,
        code="F84.0",
        label="Autistic disorder",
    )
    front_desk = client_as(world.front_desk)
    page = front_desk.get(url(world.child)).content.decode()
    assert "F84.0" not in page and 'name="diagnoses"' not in page
    assert 'name="diagnoses"' in client_as(world.therapist).get(url(world.child)).content.decode()

    response = front_desk.post(url(world.child), form_data(world.child, interests="Puzzles"))

    assert response.status_code == 302
    assert Child.objects.get(pk=world.child.pk).interests == "Puzzles"
    assert list(Diagnosis.objects.filter(child=world.child).values_list("code", flat=True)) == [
        "F84.0"
    ]
