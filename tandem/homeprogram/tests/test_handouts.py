"""Handouts: checked by their bytes and size, kept outside the web root, served through access."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from tandem.homeprogram.models import HomeActivity
from tandem.homeprogram.uploads import MAX_HANDOUT_BYTES

from .helpers import PDF_BYTES, goal_of, jpeg_bytes, make_activity, png_bytes, today, upload
from .test_activities import form_data, new_url


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def post_with(client, child, goal, file):
    return client.post(new_url(child), form_data(goal, handout=file))


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("pegs.png", png_bytes(), "png"),
        ("p.jpg", jpeg_bytes(), "jpeg"),
        ("s.pdf", PDF_BYTES, "pdf"),
    ],
)
def test_png_jpeg_and_pdf_are_kept_under_private_media(world, client_as, media, name, data, kind):
    goal = goal_of(world.child, world.therapist)
    response = post_with(client_as(world.therapist), world.child, goal, upload(name, data))
    assert response.status_code == 302
    activity = HomeActivity.objects.get()
    assert activity.handout_type == kind and activity.handout_name == name
    assert activity.handout.name.startswith(f"private/homeprogram/{world.org.id}/")
    assert name not in activity.handout.name  # a random name on disk
    stored = (media / activity.handout.name).read_bytes()
    if kind == "pdf":
        assert stored == data
    else:  # a picture is encoded again without its metadata (core.uploads.clean_picture)
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format.lower() == kind and image.size == (8, 8)


def test_a_script_named_like_a_picture_is_refused(world, client_as):
    goal = goal_of(world.child, world.therapist)
    fake = upload("pegs.png", b"<script>alert(1)</script>", "image/png")
    response = post_with(client_as(world.therapist), world.child, goal, fake)
    assert response.status_code == 200
    assert "Use a PNG or JPEG picture or a PDF handout." in response.content.decode()
    assert not HomeActivity.objects.exists()


def test_a_truncated_picture_is_refused(world, client_as):
    goal = goal_of(world.child, world.therapist)
    broken = upload("pegs.png", png_bytes()[:20], "image/png")
    response = post_with(client_as(world.therapist), world.child, goal, broken)
    assert "This picture seems to be damaged." in response.content.decode()
    assert not HomeActivity.objects.exists()


def test_a_gif_is_refused(world, client_as):
    goal = goal_of(world.child, world.therapist)
    gif = upload("a.gif", b"GIF89a" + b"\x00" * 30, "image/gif")
    response = post_with(client_as(world.therapist), world.child, goal, gif)
    assert "Use a PNG or JPEG picture or a PDF handout." in response.content.decode()


def test_a_file_over_5_mb_is_refused(world, client_as):
    goal = goal_of(world.child, world.therapist)
    big = upload("big.pdf", PDF_BYTES + b"0" * MAX_HANDOUT_BYTES, "application/pdf")
    response = post_with(client_as(world.therapist), world.child, goal, big)
    assert "The file is too large; the limit is 5.0" in response.content.decode()
    assert not HomeActivity.objects.exists()


def test_handout_is_served_to_the_family_and_not_to_outsiders(world, client_as):
    activity = make_activity(world.child, world.therapist)
    from tandem.homeprogram import actions

    actions.update_activity(activity, expected_version=1, handout=upload("sheet.pdf", PDF_BYTES))
    url = reverse("homeprogram:handout", args=[world.child.id, activity.id])
    response = client_as(world.guardian).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF_BYTES
    download = client_as(world.guardian).get(url + "?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="sheet.pdf"'
    for outsider in (world.other_guardian, world.unassigned_therapist, world.foreign_guardian):
        assert client_as(outsider).get(url).status_code == 404


def test_no_handout_is_404(world, client_as):
    activity = make_activity(world.child, world.therapist)
    url = reverse("homeprogram:handout", args=[world.child.id, activity.id])
    assert client_as(world.guardian).get(url).status_code == 404


def test_replacing_keeps_the_earlier_file_for_the_history(world, client_as, media):
    activity = make_activity(world.child, world.therapist, starts_on=today())
    from tandem.homeprogram import actions

    first = actions.update_activity(
        activity, expected_version=1, handout=upload("a.png", png_bytes())
    )
    old_path = media / first.handout.name
    actions.update_activity(first, expected_version=2, handout=upload("b.pdf", PDF_BYTES))
    assert old_path.exists()
    activity.refresh_from_db()
    assert activity.handout_type == "pdf"
