"""A payer's remittance (835) uploaded on the billing page is read as text and never kept
as a file: a program, a web page or a file over the limit is refused, and nothing is
written to the media folder."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django import Settings

from tandem.billing import remittances
from tandem.billing.models import Remittance
from tandem.conftest import World
from tandem.core.testing.types import ClientAs

from .test_uploads import EXE, HTML

FILES = {
    "a program": (EXE, "The file is not text"),
    "a web page": (HTML, "not a remittance"),
    "over the limit": (b"ISA*" + b"0" * remittances.MAX_BYTES, "larger than 5 MB"),
}


@pytest.mark.parametrize("kind", FILES, ids=str)
def test_a_file_that_is_not_a_remittance_is_refused_and_not_kept(
    world: World, client_as: ClientAs, settings: Settings, tmp_path: Path, kind: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    data, message = FILES[kind]
    upload = SimpleUploadedFile("../../era.835", data, content_type="text/plain")
    response = client_as(world.billing).post(reverse("billing:remittances"), {"file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Remittance.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
