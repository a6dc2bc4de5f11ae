"""The dates school plans raise, against the regulations' own numbers, worked by hand.

IDEA Part C, 34 CFR 303.209(b)(1)(ii) and (c)(1): the transition conference is held "not
fewer than 90 days — and, at the discretion of all parties, not more than 9 months —
before the toddler's third birthday", i.e. from age 2 years 3 months to 2 years 9 months.
34 CFR 303.342(b)(1): the IFSP is reviewed every six months. 34 CFR 300.324(b)(1)(i): the
IEP is reviewed "periodically, but not less than annually".
"""

import datetime
from types import SimpleNamespace
from typing import Any

import pytest

from tandem.schoolplans.models import PlanKind, SchoolPlan
from tandem.schoolplans.reminders import default_review, reminders_for, transition_window

BORN = datetime.date(2024, 5, 31)  # a month-end birthday: the awkward case


def child() -> Any:
    return SimpleNamespace(date_of_birth=BORN)


def plan(kind: str, review: datetime.date, ended: datetime.date | None = None) -> SchoolPlan:
    return SchoolPlan(
        kind=kind,
        start_date=review - datetime.timedelta(days=180),
        review_due=review,
        ended_on=ended,
    )


def test_transition_window_is_two_years_three_months_to_two_years_nine_months() -> None:
    # 2024-05-31 + 2 y 3 m = 2026-08-31; + 2 y 9 m = 2027-02-28 (no 31 February).
    assert transition_window(child()) == (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28))


@pytest.mark.parametrize(
    ("today", "raised"),
    [
        (datetime.date(2026, 8, 30), False),  # a day before 2 y 3 m
        (datetime.date(2026, 8, 31), True),  # opens
        (
            datetime.date(2027, 2, 28),
            True,
        ),  # last day: 2 y 9 m, about 90 days before the third birthday
        (datetime.date(2027, 3, 1), False),  # closed
    ],
)
def test_transition_reminder_only_inside_the_window(today: datetime.date, raised: bool) -> None:
    far = datetime.date(2030, 1, 1)
    found = reminders_for(child(), [plan(PlanKind.IFSP, far)], today)
    assert [r.kind for r in found] == (["transition"] if raised else [])
    if raised:
        assert found[0].day == datetime.date(2027, 2, 28)


def test_no_transition_without_an_ifsp_in_force() -> None:
    today = datetime.date(2026, 10, 1)
    far = datetime.date(2030, 1, 1)
    assert reminders_for(child(), [plan(PlanKind.IEP, far)], today) == []
    ended = plan(PlanKind.IFSP, far, ended=datetime.date(2026, 9, 1))
    assert reminders_for(child(), [ended], today) == []


def test_default_reviews_six_months_for_an_ifsp_a_year_otherwise() -> None:
    start = datetime.date(2026, 1, 31)
    assert default_review("ifsp", start) == datetime.date(2026, 7, 31)
    assert default_review("iep", start) == datetime.date(2027, 1, 31)
    assert default_review("504", start) == datetime.date(2027, 1, 31)


def test_review_reminders_within_thirty_days_or_past() -> None:
    today = datetime.date(2026, 3, 1)
    due = [
        plan(PlanKind.IEP, datetime.date(2026, 3, 31)),  # 30 days: raised
        plan(PlanKind.SECTION_504, datetime.date(2026, 4, 1)),  # 31 days: not yet
        plan(PlanKind.IFSP, datetime.date(2026, 2, 20)),  # past: raised, overdue
    ]
    older: Any = SimpleNamespace(date_of_birth=datetime.date(2020, 1, 1))
    found = reminders_for(older, due, today)
    assert [(r.kind, r.day, r.overdue) for r in found] == [
        ("ifsp_review", datetime.date(2026, 2, 20), True),
        ("iep_review", datetime.date(2026, 3, 31), False),
    ]
    assert "2026-02-20" in found[0].text
