import pytest


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Invitations and notices are sent when the transaction commits; in these tests the
    test's own transaction never commits, so run the callbacks at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
