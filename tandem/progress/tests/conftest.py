import uuid

import pytest
from django.urls import Resolver404, resolve


def _project_routes_progress() -> bool:
    some = uuid.uuid4()
    try:
        page = resolve(f"/children/{some}/progress/")
        resolve(f"/api/v1/children/{some}/progress")
    except Resolver404:
        return False
    return page.view_name == "progress:index"


@pytest.fixture(autouse=True)
def progress_routes(settings):  # type: ignore[no-untyped-def]
    """Route the progress pages and API even before the project wires them in."""
    if not _project_routes_progress():
        settings.ROOT_URLCONF = "tandem.progress.tests.urls"
