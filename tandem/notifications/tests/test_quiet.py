"""Quiet hours on the clinic's clock."""

import datetime

from tandem.notifications.quiet import quiet_until
from tandem.notifications.tests.conftest import local

NIGHT = (datetime.time(21), datetime.time(7, 30))


def test_evening_waits_until_the_next_morning():
    assert quiet_until(*NIGHT, local(13, 22)) == local(14, 7, 30)


def test_early_morning_waits_until_the_same_morning():
    assert quiet_until(*NIGHT, local(14, 6, 59)) == local(14, 7, 30)


def test_the_day_is_not_quiet():
    assert quiet_until(*NIGHT, local(13, 7, 30)) is None
    assert quiet_until(*NIGHT, local(13, 20, 59)) is None


def test_quiet_hours_within_one_day():
    nap = (datetime.time(13), datetime.time(15))
    assert quiet_until(*nap, local(13, 14)) == local(13, 15)
    assert quiet_until(*nap, local(13, 15)) is None


def test_equal_start_and_end_mean_never_quiet():
    assert quiet_until(datetime.time(9), datetime.time(9), local(13, 9)) is None
