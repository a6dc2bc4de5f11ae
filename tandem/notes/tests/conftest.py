import uuid

import pytest
from django.urls import resolve


def _project_routes_sessions() -> bool:
    return resolve(f"/children/{uuid.uuid4()}/sessions/").view_name == "notes:index"


@pytest.fixture(autouse=True)
def sessions_tab_routes(settings):  # type: ignore[no-untyped-def]
    """Route the Sessions tab to the notes app even before the project does."""
    if not _project_routes_sessions():
        settings.ROOT_URLCONF = "tandem.notes.tests.urls"
