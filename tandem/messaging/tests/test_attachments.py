"""Files sent with messages: checked by content and size, served only through the access layer."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.messaging.models import Message, MessageAttachment
from tandem.messaging.tests.helpers import pdf, png


def post(client, child, **data):
    return client.post(reverse("messaging:post", args=[child.id]), data)


def test_a_picture_is_sent_and_shown_in_the_thread(world, client_as):
    client = client_as(world.guardian)
    assert post(client, world.child, body="Look!", attachment=png()).status_code == 302
    stored = MessageAttachment.objects.get()
    assert stored.content_type == "image/png" and stored.filename == "drawing.png"
    assert "drawing" not in stored.file.name  # stored under a random name
    page = client_as(world.therapist).get(reverse("messaging:index", args=[world.child.id]))
    file_url = reverse("messaging:attachment", args=[world.child.id, stored.id])
    assert file_url in page.content.decode()
    response = client_as(world.therapist).get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]  # kept by no cache
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_pdf_is_downloaded_not_shown(world, client_as):
    post(client_as(world.guardian), world.child, attachment=pdf())
    stored = MessageAttachment.objects.get()
    assert Message.objects.get().body == ""
    response = client_as(world.guardian).get(
        reverse("messaging:attachment", args=[world.child.id, stored.id])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_file_that_only_claims_to_be_a_picture_is_refused(world, client_as):
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = post(client_as(world.guardian), world.child, body="hi", attachment=fake)
    assert response.status_code == 200
    assert "Attach a photo (JPEG or PNG) or a PDF." in response.content.decode()
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()


def test_a_broken_picture_is_refused(world, client_as):
    broken = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)
    response = post(client_as(world.guardian), world.child, attachment=broken)
    assert "could not be opened" in response.content.decode()
    assert not MessageAttachment.objects.exists()


def test_a_file_over_the_limit_is_refused(world, client_as, settings):
    settings.MESSAGE_ATTACHMENT_MAX_BYTES = 50
    response = post(client_as(world.guardian), world.child, attachment=png(size=(40, 40)))
    assert "too large" in response.content.decode()
    assert not MessageAttachment.objects.exists()


def test_another_familys_file_is_not_found(world, client_as):
    post(client_as(world.other_guardian), world.other_child, attachment=png())
    stored = MessageAttachment.objects.get()
    own_child_url = reverse("messaging:attachment", args=[world.child.id, stored.id])
    their_url = reverse("messaging:attachment", args=[world.other_child.id, stored.id])
    client = client_as(world.guardian)
    assert client.get(own_child_url).status_code == 404
    assert client.get(their_url).status_code == 404
    assert client_as(world.foreign_admin).get(their_url).status_code == 404
