import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Files sent in tests land in a temporary folder, not under var/."""
    settings.MEDIA_ROOT = tmp_path
