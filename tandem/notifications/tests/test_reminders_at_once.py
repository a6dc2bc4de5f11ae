"""Two dispatcher runs at the same moment (a timer on each of two machines) send each
reminder once (docs/scaling.md). The second run is started after the first has read
what is due and before it sends: each reminder is claimed by one conditional write, so
the run that comes second in the database finds it taken."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from tandem.conftest import World
from tandem.messaging import checkins
from tandem.messaging.tests.helpers import make_schedule
from tandem.notifications import dispatch
from tandem.notifications.actions import save_preferences
from tandem.notifications.dispatch import dispatch_due
from tandem.notifications.models import Kind, Notification
from tandem.notifications.tests.conftest import Clock, local


def another_run_before_sending(
    monkeypatch: pytest.MonkeyPatch, module: Any, now: datetime.datetime
) -> list[int]:
    """Make ``module``'s first notify() wait for a whole other run of the dispatcher."""
    others: list[int] = []
    notify: Callable[..., Any] = module.notify

    def notify_after_the_other_run(*args: Any, **kwargs: Any) -> Any:
        if not others:
            others.append(0)
            result = dispatch_due(now)
            others[0] = result.practice_reminders + result.checkin_reminders
        return notify(*args, **kwargs)

    monkeypatch.setattr(module, "notify", notify_after_the_other_run)
    return others


@pytest.mark.parametrize("chosen_before", [True, False], ids=["saved preferences", "defaults"])
def test_a_practice_reminder_is_sent_once_by_two_runs_at_once(
    world: World, clock: Clock, monkeypatch: pytest.MonkeyPatch, chosen_before: bool
) -> None:
    monkeypatch.setattr(dispatch, "children_with_home_practice", lambda now: [world.child.id])
    if chosen_before:
        save_preferences(world.guardian, practice_days="2", practice_time=datetime.time(18))
    else:  # the defaults (every day, 18:00), never saved: the claim makes the row
        monkeypatch.setattr(dispatch, "preferences_of", _defaults_for_everyone())
    now = clock.set(local(13, 18, 5))
    others = another_run_before_sending(monkeypatch, dispatch, now)
    first = dispatch_due(now).practice_reminders
    assert others != [] and first + others[0] == 1
    reminders = Notification.objects.filter(kind=Kind.PRACTICE_REMINDER)
    assert reminders.count() == 1 and len(mail.outbox) == 1


def _defaults_for_everyone() -> Callable[..., Any]:
    from tandem.notifications.models import Preference

    def defaults(members: list[Any]) -> dict[Any, Any]:
        return {m.pk: Preference(organization_id=m.organization_id, member=m) for m in members}

    return defaults


def test_a_check_in_reminder_is_sent_once_by_two_runs_at_once(
    world: World, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock.set(local(13, 9))
    make_schedule(world.child, world.therapist)
    now = clock.set(local(13, 10))
    others = another_run_before_sending(monkeypatch, checkins, now)
    first = dispatch_due(now).checkin_reminders
    assert others != [] and first + others[0] == 1
    assert Notification.objects.filter(kind=Kind.CHECKIN_DUE).count() == 1
    assert len(mail.outbox) == 1
