"""Media in an S3-compatible bucket (docs/scaling.md): with ``TANDEM_MEDIA_S3_BUCKET``
set, uploads go to the bucket under random names, objects stay private, and Tandem still
serves each file itself after its access checks. The bucket is moto's, in this process."""

import importlib
import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from moto import mock_aws
from PIL import Image
from pytest_django import Settings

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.core.tests.test_stored_files import assert_no_metadata, located
from tandem.homeprogram.models import HomeActivity
from tandem.homeprogram.tests.helpers import PDF_BYTES, goal_of
from tandem.homeprogram.tests.test_activities import form_data, new_url
from tandem.messaging.models import MessageAttachment

BUCKET = "tandem-media-test"
PREFIX = "media"
PUBLIC = "http://acs.amazonaws.com/groups/global/AllUsers"
MANY_MACHINES = (
    "TANDEM_MEDIA_S3_BUCKET",
    "TANDEM_MEDIA_S3_ENDPOINT_URL",
    "TANDEM_MEDIA_S3_REGION",
    "TANDEM_MEDIA_S3_PREFIX",
    "TANDEM_MEDIA_S3_ACL",
    "TANDEM_REPLICA_DATABASE_URL",
)


def settings_under(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """tandem/settings.py as it reads with these environment variables (then as it was)."""
    import tandem.settings as tandem_settings

    for name in MANY_MACHINES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        reloaded = importlib.reload(tandem_settings)
        return {name: getattr(reloaded, name) for name in ("STORAGES", "DATABASES")}
    finally:
        for name in env:
            monkeypatch.delenv(name)
        importlib.reload(tandem_settings)


def test_the_bucket_is_used_only_when_named(monkeypatch: pytest.MonkeyPatch) -> None:
    default = settings_under(monkeypatch)["STORAGES"]["default"]
    assert default == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    storage = settings_under(
        monkeypatch,
        TANDEM_MEDIA_S3_BUCKET=BUCKET,
        TANDEM_MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        TANDEM_MEDIA_S3_REGION="eu-west-1",
    )["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        BUCKET,
        "https://s3.example.org",
        "eu-west-1",
    )
    # Private objects, never replaced by another upload, no credentials in the settings.
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert options["querystring_auth"] is True
    assert not {"access_key", "secret_key"} & set(options)


@pytest.fixture
def bucket(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Media in moto's bucket, configured as tandem/settings.py configures it."""
    storage = settings_under(
        monkeypatch,
        TANDEM_MEDIA_S3_BUCKET=BUCKET,
        TANDEM_MEDIA_S3_REGION="us-east-1",
        TANDEM_MEDIA_S3_PREFIX=PREFIX,
    )["STORAGES"]["default"]
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": storage}
        yield s3


def object_bytes(s3: Any, name: str) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{name}")["Body"].read()


def keys(s3: Any) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def is_public(s3: Any, name: str) -> bool:
    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"{PREFIX}/{name}")["Grants"]
    return any(grant["Grantee"].get("URI") == PUBLIC for grant in grants)


def test_a_handout_goes_to_the_bucket_and_is_served_only_through_tandem(
    world: World, client_as: ClientAs, bucket: Any
) -> None:
    goal = goal_of(world.child, world.therapist)
    upload = SimpleUploadedFile("Pinch the pegs.pdf", PDF_BYTES, content_type="application/pdf")
    response = client_as(world.therapist).post(
        new_url(world.child), form_data(goal, handout=upload)
    )
    assert response.status_code == 302
    activity = HomeActivity.objects.get()
    name = activity.handout.name
    assert name and name.startswith(f"private/homeprogram/{world.org.id}/") and "Pinch" not in name
    assert keys(bucket) == [f"{PREFIX}/{name}"]
    assert object_bytes(bucket, name) == PDF_BYTES
    assert not is_public(bucket, name)

    url = reverse("homeprogram:handout", args=[world.child.id, activity.id])
    served = client_as(world.guardian).get(url + "?download=1")
    assert served.status_code == 200
    assert served.getvalue() == PDF_BYTES
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Length"] == str(len(PDF_BYTES))
    assert served["Content-Disposition"] == 'attachment; filename="Pinch the pegs.pdf"'
    # Another family's parent, another clinic's: nothing there.
    assert client_as(world.other_guardian).get(url).status_code == 404
    assert client_as(world.foreign_guardian).get(url).status_code == 404


def test_a_file_gone_from_the_bucket_is_a_404_not_an_error(
    world: World, client_as: ClientAs, bucket: Any
) -> None:
    goal = goal_of(world.child, world.therapist)
    upload = SimpleUploadedFile("sheet.pdf", PDF_BYTES, content_type="application/pdf")
    client_as(world.therapist).post(new_url(world.child), form_data(goal, handout=upload))
    activity = HomeActivity.objects.get()
    bucket.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{activity.handout.name}")
    url = reverse("homeprogram:handout", args=[world.child.id, activity.id])
    assert client_as(world.guardian).get(url).status_code == 404


def test_a_message_picture_goes_to_the_bucket_without_its_gps(
    world: World, client_as: ClientAs, bucket: Any
) -> None:
    photo = SimpleUploadedFile("look.jpg", located("JPEG"), content_type="image/jpeg")
    url = reverse("messaging:post", args=[world.child.id])
    assert (
        client_as(world.guardian).post(url, {"body": "Look", "attachment": photo}).status_code
        == 302
    )
    stored = MessageAttachment.objects.get()
    name = stored.file.name
    assert name and name.startswith(f"private/messages/{world.org.id}/{world.child.id}/")
    data = object_bytes(bucket, name)
    assert_no_metadata(data, "JPEG")
    file_url = reverse("messaging:attachment", args=[world.child.id, stored.id])
    served = client_as(world.therapist).get(file_url)
    assert served.status_code == 200 and served.getvalue() == data
    assert served["Content-Disposition"] == 'inline; filename="look.jpg"'
    assert client_as(world.other_guardian).get(file_url).status_code == 404


def test_pictures_in_the_bucket_are_cleaned_in_place_by_the_command(
    world: World, client_as: ClientAs, bucket: Any
) -> None:
    """``clean_stored_pictures`` writes through the storage, not to a path on disk."""
    bucket.put_object(Bucket=BUCKET, Key=f"{PREFIX}/child-photos/old.jpg", Body=located("JPEG"))
    world.child.photo.name = "child-photos/old.jpg"
    world.child.save()
    out = io.StringIO()
    call_command("clean_stored_pictures", stdout=out)
    assert "Cleaned 1 picture(s)" in out.getvalue()
    assert keys(bucket) == [f"{PREFIX}/child-photos/old.jpg"]
    cleaned = object_bytes(bucket, "child-photos/old.jpg")
    assert_no_metadata(cleaned, "JPEG")
    served = client_as(world.therapist).get(reverse("children:photo", args=[world.child.id]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.getvalue())) as image:
        assert image.size == (10, 20)
