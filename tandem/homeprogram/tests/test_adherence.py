"""Adherence for the team: practice against the plan per week, barriers said without blame."""

import datetime

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from tandem.core.testing.svg import charts_in
from tandem.homeprogram.models import week_start

from .helpers import log, make_activity, today

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`


def url(child):
    return reverse("homeprogram:adherence", args=[child.id])


def test_weeks_count_done_and_partly_against_the_plan(world, client_as):
    activity = make_activity(world.child, world.therapist, times_per_week=3)
    last_week = week_start(today()) - datetime.timedelta(days=7)
    for offset, outcome in ((0, "done"), (1, "partly"), (2, "not_today")):
        log(activity, world.guardian, outcome=outcome, date=last_week + datetime.timedelta(offset))
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert '<td class="some nowrap">2/3 <span class="muted">(1 partly)</span>' in body
    assert "(1 not today)" in body


def test_barriers_are_phrased_without_blame(world, client_as):
    activity = make_activity(world.child, world.therapist)
    log(activity, world.guardian, outcome="not_today", barrier="no_time")
    log(activity, world.guardian, outcome="not_today", barrier="refused")
    log(activity, world.guardian, outcome="partly", barrier="unclear")
    log(activity, world.guardian, outcome="partly", barrier="other", barrier_other="Power cut")
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert "Practice was hard to fit in this week." in body
    assert "Maya wasn&#x27;t ready to join in." in body
    assert "The steps may need explaining again." in body
    assert "Something else got in the way: “Power cut”." in body
    for blame in ("refused", "failed", "non-compliant", "didn't do"):
        assert blame not in body.lower()


def test_weeks_before_the_activity_started_are_not_counted(world, client_as):
    make_activity(world.child, world.therapist, starts_on=today())
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert body.count('<td class="off nowrap">') == 7


def test_guardians_find_no_adherence_page(world, client_as):
    make_activity(world.child, world.therapist)
    assert client_as(world.guardian).get(url(world.child)).status_code == 404


def test_consulting_therapist_reads_adherence(world, client_as):
    make_activity(world.child, world.therapist)
    assert client_as(world.consulting_therapist).get(url(world.child)).status_code == 200


def test_adherence_queries_are_bounded(world, client_as, django_assert_max_num_queries):
    for n in range(6):
        activity = make_activity(world.child, world.therapist, title=f"Activity {n}")
        for day in range(0, 56, 3):
            log(activity, world.guardian, date=today() - datetime.timedelta(days=day))
    client = client_as(world.therapist)
    client.get(url(world.child))
    # Session and membership (8), the child, the access-log insert, activities, their
    # goals, the logs of the eight weeks, and the notifications badge.
    with django_assert_max_num_queries(14) as captured:
        response = client.get(url(world.child))
    assert response.status_code == 200
    print(f"\nadherence, 6 activities x 8 weeks: {len(captured)} queries")


def test_the_spanish_adherence_table_has_no_number_a_browser_misreads(world, client_as):
    """Adherence is a table, not a drawing: its numbers are for people, its markup plain."""
    activity = make_activity(world.child, world.therapist, times_per_week=3)
    last_week = week_start(today()) - datetime.timedelta(days=7)
    log(activity, world.guardian, outcome="done", date=last_week)
    world.therapist.user.language = "es"
    world.therapist.user.save(update_fields=["language"])
    body = client_as(world.therapist).get(url(world.child)).content.decode()
    assert charts_in(body) == []  # and no style or data-* attribute holds "1,5"
    assert '<td class="some nowrap">1/3</td>' in body
    header = week_start(today()) - datetime.timedelta(days=7)
    with override("es"):
        assert date_format(header, "SHORT_MONTH_DAY_FORMAT") in body
