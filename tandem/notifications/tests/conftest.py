import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

CHICAGO = ZoneInfo("America/Chicago")  # the test clinics' time zone


def local(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in January 2027 on the clinic's clock (13 January is a Wednesday)."""
    return datetime.datetime(2027, 1, day, hour, minute, tzinfo=CHICAGO)


class Clock:
    """Stop time at a chosen moment: everything that asks timezone.now() gets it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def set(self, moment: datetime.datetime) -> datetime.datetime:
        self.monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)
