"""Every place a file is uploaded, through its page and its API, and where it is served.

A ``Surface`` posts one file the way a person (or a program) does and answers the stored
file and the response that serves it back; ``test_uploads.py`` throws the attacks at each.
"""

import functools
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tandem.api.tests.conftest import bearer, make_token
from tandem.children.models import Child
from tandem.children.tests.test_child_edit import form_data as child_form
from tandem.conftest import World
from tandem.core.testing.types import ClientAs, Response
from tandem.homeprogram.models import HomeActivity
from tandem.homeprogram.tests.helpers import goal_of, make_activity
from tandem.homeprogram.tests.test_activities import form_data as activity_form
from tandem.messaging.models import MessageAttachment
from tandem.resources.models import Resource
from tandem.resources.tests.test_library import form as resource_form

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png(size: tuple[int, int] = (8, 8), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@functools.cache
def png_bomb(width: int, height: int, *, whole: bool = True) -> bytes:
    """A PNG of ``width`` × ``height`` black RGB pixels, compressed to a few hundred KB:
    decoding it takes ``3 × width × height`` bytes of memory. Not ``whole``: the header
    says so, and only the first rows follow (enough for a check that never decodes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    packer = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)  # filter byte, then the row's pixels
    rows = height if whole else 16
    data = b"".join(packer.compress(row) for _ in range(rows)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@dataclass
class Surface:
    """One way in for a file: ``send`` posts it, ``stored`` finds what was kept,
    ``served`` fetches it back as its readers do."""

    name: str
    limit: int
    pictures_only: bool
    send: Callable[[World, ClientAs, SimpleUploadedFile], Response]
    stored: Callable[[World], FieldFile | None]
    served: Callable[[World, ClientAs], Response]
    prepare: Callable[[World, ClientAs], None] = lambda world, client_as: None

    def accepted(self, response: Response) -> bool:
        return response.status_code in (200, 201, 302) and not _refused(response)


def _refused(response: Response) -> bool:
    if response.status_code >= 400:
        return True
    body = response.content.decode(errors="replace") if not response.streaming else ""
    return 'aria-invalid="true"' in body or 'class="errorlist"' in body


def _api(world: World, member: str = "therapist") -> Client:
    return Client(headers=bearer(make_token(getattr(world, member))))


def _last(queryset: Any) -> Any:
    return queryset.order_by("created_at").last()


# --- Child photo: the profile form --------------------------------------------------------


def _photo_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    child = Child.objects.get(pk=world.child.pk)
    url = reverse("children:edit", args=[child.id])
    return client_as(world.therapist).post(url, {**child_form(child), "photo": file})


def _photo_stored(world: World) -> FieldFile | None:
    photo = Child.objects.get(pk=world.child.pk).photo
    return photo or None


def _photo_served(world: World, client_as: ClientAs) -> Response:
    return client_as(world.guardian).get(reverse("children:photo", args=[world.child.id]))


# --- Message attachments: the thread's form, and the API ---------------------------------


def _message_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    url = reverse("messaging:post", args=[world.child.id])
    return client_as(world.guardian).post(url, {"body": "Look", "attachment": file})


def _message_api_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    url = f"/api/v1/children/{world.child.id}/messages"
    return _api(world).post(url, {"body": "Look", "attachment": file})


def _message_stored(world: World) -> FieldFile | None:
    found = _last(MessageAttachment.objects.filter(child=world.child))
    return found.file if found else None


def _message_served(world: World, client_as: ClientAs) -> Response:
    found = _last(MessageAttachment.objects.filter(child=world.child))
    url = reverse("messaging:attachment", args=[world.child.id, found.id])
    return client_as(world.therapist).get(url)


# --- Home activity pictures and handouts: the activity form, and the API ------------------


def _activity_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    goal = goal_of(world.child, world.therapist)
    url = reverse("homeprogram:activity_new", args=[world.child.id])
    return client_as(world.therapist).post(url, activity_form(goal, handout=file))


def _activity_api_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    activity = _last(HomeActivity.objects.filter(child=world.child)) or make_activity(
        world.child, world.therapist
    )
    url = (
        f"/api/v1/children/{world.child.id}/home-activities/{activity.id}/handout"
        f"?version={activity.version}"
    )
    return _api(world).post(url, {"file": file})


def _activity_stored(world: World) -> FieldFile | None:
    found = _last(HomeActivity.objects.filter(child=world.child).exclude(handout=""))
    return found.handout if found else None


def _activity_served(world: World, client_as: ClientAs) -> Response:
    found = _last(HomeActivity.objects.filter(child=world.child).exclude(handout=""))
    url = reverse("homeprogram:handout", args=[world.child.id, found.id])
    return client_as(world.guardian).get(url)  # opened in the browser, not downloaded


# --- The resource library: its form, and the API (a new handout, a replaced file) ---------


def _resource_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    data = resource_form(kind="handout", body="", upload=file)
    return client_as(world.admin).post(reverse("resources:edit"), data)


def _resource_api_send(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    fields = {"title": "Calm corner", "language": "en", "file": file}
    return _api(world, "admin").post("/api/v1/resources/handouts", fields)


def _resource_first(world: World, client_as: ClientAs) -> None:
    plain = SimpleUploadedFile("first.pdf", PDF, content_type="application/pdf")
    assert _resource_api_send(world, client_as, plain).status_code == 201


def _resource_api_replace(world: World, client_as: ClientAs, file: SimpleUploadedFile) -> Response:
    existing = _last(Resource.objects.filter(organization=world.org, kind="handout"))
    url = f"/api/v1/resources/{existing.id}/file?version={existing.version}"
    return _api(world, "admin").post(url, {"file": file})


def _resource_stored(world: World) -> FieldFile | None:
    found = _last(Resource.objects.filter(organization=world.org).exclude(file=""))
    return found.file if found else None


def _resource_served(world: World, client_as: ClientAs) -> Response:
    found = _last(Resource.objects.filter(organization=world.org).exclude(file=""))
    return client_as(world.admin).get(f"{reverse('resources:file')}?id={found.id}")


MB = 1024 * 1024
SURFACES = [
    Surface("child photo", 2 * MB, True, _photo_send, _photo_stored, _photo_served),
    Surface("message (page)", 5 * MB, False, _message_send, _message_stored, _message_served),
    Surface("message (API)", 5 * MB, False, _message_api_send, _message_stored, _message_served),
    Surface(
        "home activity (page)", 5 * MB, False, _activity_send, _activity_stored, _activity_served
    ),
    Surface(
        "home activity (API)",
        5 * MB,
        False,
        _activity_api_send,
        _activity_stored,
        _activity_served,
    ),
    Surface("resource (page)", 10 * MB, False, _resource_send, _resource_stored, _resource_served),
    Surface(
        "resource (API)", 10 * MB, False, _resource_api_send, _resource_stored, _resource_served
    ),
    Surface(
        "resource file replaced (API)",
        10 * MB,
        False,
        _resource_api_replace,
        _resource_stored,
        _resource_served,
        prepare=_resource_first,
    ),
]
