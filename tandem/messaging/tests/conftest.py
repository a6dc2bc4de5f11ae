from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Files sent in tests land in a temporary folder, not under var/."""
    settings.MEDIA_ROOT = tmp_path
