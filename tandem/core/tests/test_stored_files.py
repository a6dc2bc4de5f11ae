"""Stored pictures lose their metadata (GPS); files are served by what they are, not by
the name they were uploaded under; the caseload and the child's photo are access-logged."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from PIL import Image
from PIL.ExifTags import IFD
from pytest_django import Settings

from tandem.audit.models import AccessLog
from tandem.children.models import Child
from tandem.children.tests.test_child_edit import form_data as child_form
from tandem.children.tests.test_child_edit import url as child_edit_url
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.homeprogram.models import HomeActivity
from tandem.homeprogram.tests.helpers import goal_of
from tandem.homeprogram.tests.test_activities import form_data as activity_form
from tandem.homeprogram.tests.test_activities import new_url as activity_new_url
from tandem.messaging.models import MessageAttachment
from tandem.resources.models import Resource
from tandem.resources.tests.test_library import EDIT as RESOURCE_EDIT
from tandem.resources.tests.test_library import form as resource_form

GPS = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}


def located(fmt: str = "JPEG", size: tuple[int, int] = (20, 10)) -> bytes:
    """A phone's picture: EXIF with where it was taken, and turned on its side."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(IFD.GPSInfo).update(GPS)
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt, exif=exif)
    data = buffer.getvalue()
    assert dict(Image.open(io.BytesIO(data)).getexif().get_ifd(IFD.GPSInfo)) == GPS
    return data


def assert_no_metadata(data: bytes, fmt: str) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == fmt
        exif = image.getexif()
        assert not exif.get_ifd(IFD.GPSInfo) and not dict(exif)
        assert "exif" not in image.info and "xmp" not in image.info
        assert image.size == (10, 20)  # turned upright as the EXIF said, then dropped


def stored_bytes(media: Path, file: FieldFile) -> bytes:
    """The bytes of a stored file, read from the test's media folder."""
    assert file.name, "no file was stored"
    return (media / file.name).read_bytes()


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_a_child_photo_is_stored_without_gps_and_served_by_its_content(
    world: World, client_as: ClientAs, media: Path, fmt: str, content_type: str
) -> None:
    client = client_as(world.therapist)
    # Named for another kind: the name must not decide how it is served.
    photo = SimpleUploadedFile("photo.gif", located(fmt), content_type="image/gif")
    response = client.post(child_edit_url(world.child), {**child_form(world.child), "photo": photo})
    assert response.status_code == 302
    child = Child.objects.get(pk=world.child.pk)
    assert child.photo.name
    stored_name = child.photo.name.rsplit("/", 1)[-1]
    assert stored_name.endswith({"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[fmt])
    assert "photo" not in stored_name
    assert_no_metadata(stored_bytes(media, child.photo), fmt)
    before = set(AccessLog.objects.values_list("pk", flat=True))
    served = client.get(reverse("children:photo", args=[world.child.id]))
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["X-Content-Type-Options"] == "nosniff"
    assert_no_metadata(served.getvalue(), fmt)
    # Seeing the photo is seeing the child's record: it is in the access log.
    (entry,) = AccessLog.objects.exclude(pk__in=before)
    assert (entry.child_id, entry.user_id, entry.route) == (
        world.child.id,
        world.therapist.user_id,
        "children:photo",
    )


def test_a_stored_photo_with_an_html_name_is_still_served_as_a_picture(
    world: World, client_as: ClientAs, media: Path
) -> None:
    """A photo stored before this check (under its uploader's name) is typed by its bytes."""
    (media / "child-photos").mkdir()
    (media / "child-photos" / "old.html").write_bytes(located("PNG"))
    world.child.photo.name = "child-photos/old.html"
    world.child.save()
    served = client_as(world.therapist).get(reverse("children:photo", args=[world.child.id]))
    assert served["Content-Type"] == "image/png"
    (media / "child-photos" / "old.html").write_bytes(b"<script>alert(1)</script>")
    served = client_as(world.therapist).get(reverse("children:photo", args=[world.child.id]))
    assert served.status_code == 404


def test_a_home_activity_picture_loses_its_gps_and_downloads_with_its_real_extension(
    world: World, client_as: ClientAs, media: Path
) -> None:
    goal = goal_of(world.child, world.therapist)
    client = client_as(world.therapist)
    upload = SimpleUploadedFile("pegs.html", located("JPEG"), content_type="text/html")
    response = client.post(activity_new_url(world.child), activity_form(goal, handout=upload))
    assert response.status_code == 302
    activity = HomeActivity.objects.get()
    assert_no_metadata(stored_bytes(media, activity.handout), "JPEG")
    url = reverse("homeprogram:handout", args=[world.child.id, activity.id])
    served = client.get(url + "?download=1")
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Disposition"] == 'attachment; filename="pegs.jpg"'


def test_a_message_picture_loses_its_gps_and_keeps_no_html_name(
    world: World, client_as: ClientAs, media: Path
) -> None:
    client = client_as(world.guardian)
    polyglot = SimpleUploadedFile("look.html", located("JPEG"), content_type="text/html")
    url = reverse("messaging:post", args=[world.child.id])
    assert client.post(url, {"body": "Look", "attachment": polyglot}).status_code == 302
    stored = MessageAttachment.objects.get()
    data = stored_bytes(media, stored.file)
    assert_no_metadata(data, "JPEG")
    assert stored.size == len(data)
    served = client_as(world.therapist).get(
        reverse("messaging:attachment", args=[world.child.id, stored.id])
    )
    assert served["Content-Type"] == "image/jpeg"
    assert served["Content-Disposition"] == 'inline; filename="look.jpg"'


def test_a_resource_picture_loses_its_gps_and_downloads_with_its_real_extension(
    world: World, client_as: ClientAs, media: Path
) -> None:
    client = client_as(world.admin)
    upload = SimpleUploadedFile("schedule.html", located("PNG"), content_type="text/html")
    data = resource_form(kind="handout", body="", upload=upload)
    assert client.post(RESOURCE_EDIT, data).status_code == 302
    resource = Resource.objects.get()
    assert_no_metadata(stored_bytes(media, resource.file), "PNG")
    served = client.get(f"{reverse('resources:file')}?id={resource.id}")
    assert served["Content-Type"] == "image/png"
    assert 'filename="schedule.png"' in served["Content-Disposition"]


def test_the_caseload_is_access_logged(world: World, client_as: ClientAs) -> None:
    assert not AccessLog.objects.filter(route="children:caseload").exists()
    response = client_as(world.therapist).get(reverse("children:caseload"))
    assert response.status_code == 200
    logged = AccessLog.objects.filter(route="children:caseload")
    assert world.child.id in logged.children_shown()
    assert AccessLog.objects.about(world.child).filter(route="children:caseload").exists()
    assert set(logged.values_list("user_id", flat=True)) == {world.therapist.user_id}


def test_pictures_stored_before_are_cleaned_by_a_command(
    world: World, client_as: ClientAs, media: Path
) -> None:
    from io import StringIO

    from django.core.management import call_command

    (media / "child-photos").mkdir()
    (media / "child-photos" / "old.jpg").write_bytes(located("JPEG"))
    world.child.photo.name = "child-photos/old.jpg"
    world.child.save()
    out = StringIO()
    call_command("clean_stored_pictures", stdout=out)
    assert "Cleaned 1 picture(s)" in out.getvalue()
    cleaned = (media / "child-photos" / "old.jpg").read_bytes()
    assert_no_metadata(cleaned, "JPEG")
    call_command("clean_stored_pictures", stdout=out)  # again: nothing left to clean
    assert "Cleaned 0 picture(s); left 1" in out.getvalue()
    assert (media / "child-photos" / "old.jpg").read_bytes() == cleaned
    served = client_as(world.therapist).get(reverse("children:photo", args=[world.child.id]))
    assert served["Content-Type"] == "image/jpeg"
