"""A family takes their child's whole record with them, on a phone: from the family home,
they ask, the worker builds the ZIP, and they download it (issue 12, item 5)."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.conftest import World
from tandem.exports.models import Export
from tandem.notes.tests.helpers import make_note
from tandem.records.actions import KIND

from .accessibility import assert_accessible
from .conftest import PHONE, NewPage, screenshot_dir, sign_in
from .test_screenshots import overflows_sideways

pytestmark = pytest.mark.browser


def test_a_guardian_asks_for_the_record_waits_and_downloads_it(
    new_page: NewPage, world: World, request: pytest.FixtureRequest
) -> None:
    folder = screenshot_dir(request.config)
    make_note(world.child, world.therapist, sign=True)
    page = new_page(PHONE)
    sign_in(page, world.guardian)
    page.goto(reverse("homeprogram:family_home"))
    page.get_by_role(
        "link", name=re.compile(f"Download the full record — {world.child.display_name}")
    ).click()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("records:record", args=[world.child.id])))
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("full record")
    page.screenshot(path=folder / "record-request-375.png", full_page=True)
    assert not overflows_sideways(page)
    assert_accessible(page, name="full record: ask")

    page.get_by_role("button", name="Ask for a copy of the record").click()
    status = page.get_by_role("status")
    # The worker builds it (the test settings' worker runs when the ask commits): the
    # page says it is being prepared, and polls until it is ready.
    expect(status).to_contain_text("Your copy is ready", timeout=60_000)
    page.screenshot(path=folder / "record-ready-375.png", full_page=True)
    assert not overflows_sideways(page)
    assert_accessible(page, name="full record: ready")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the record (ZIP)").click()
    download = downloading.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        names = archive.namelist()
        assert "index.html" in names and "record.fhir.json" in names
        assert archive.read("notes/session-notes.pdf").startswith(b"%PDF")
    assert Export.objects.filter(kind=KIND, requested_by=world.guardian).count() == 1
