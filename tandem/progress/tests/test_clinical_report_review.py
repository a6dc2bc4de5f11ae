"""The clinical report's review (issue 14, item 4): attendance in the plans' disciplines,
the family's cancellations apart from the clinic's, descriptors on each subtest's own
metric, recent scores cited per test, and a medical-necessity draft that states facts."""

import datetime
import html
import json
from pathlib import Path

import pytest
from django.urls import reverse

from tandem.appointments.tests.helpers import clinic_time, make_appointment
from tandem.assessments import scales
from tandem.assessments.models import Evaluation, Instrument, StandardizedScore
from tandem.conftest import World
from tandem.exports.tests.helpers import download_pdf

from .demo_child import demo_child
from .helpers import START, make_goal, make_plan, record_sessions, weekly
from .pdf_pages import pages, printed_html

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2024-01-01", "end": "2024-07-31", "register": "clinical"}


def _page(world: World, client_as, member=None, **params: str) -> str:  # type: ignore[no-untyped-def]
    url = reverse("progress:report", args=[world.child.id])
    response = client_as(member or world.therapist).get(url, PERIOD | params)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


def _appointments(world: World, days: range, **fields: object) -> None:
    for offset in days:
        day = START + datetime.timedelta(days=offset)
        make_appointment(world.child, world.therapist, clinic_time(world.child, day, 14), **fields)


def test_attendance_counts_only_the_disciplines_of_the_reports_plans(world, client_as) -> None:
    demo_child(world)
    # Physical therapy sessions, with no PT plan in the report: not the OT attendance.
    _appointments(world, range(1, 60, 7), status="attended", discipline="pt", duration_minutes=30)
    body = _page(world, client_as)
    assert "24 of 27 sessions attended (89 %)" in body
    assert "45 minutes" in body and "30 minutes" not in body
    # A speech plan too: its own attendance and its own frequency recommendation.
    speech = make_plan(world.child, world.therapist, discipline="slp")
    make_goal(speech, statement="Says two-word phrases", discipline="slp")
    _appointments(world, range(2, 30, 7), status="attended", discipline="slp", duration_minutes=30)
    body = _page(world, client_as)
    assert "Attendance: Occupational therapy" in body
    assert "Attendance: Speech-language pathology" in body
    assert "4 of 4 sessions attended (100 %)" in body
    assert "Speech-language pathology: session length 30 minutes" in body.replace("</dt><dd>", " ")
    assert body.count("Continue the current frequency") == 2


def test_the_clinics_cancellations_are_apart_and_a_late_one_is_the_familys(
    world, client_as
) -> None:
    plan = make_plan(world.child, world.therapist, start_date=datetime.date(2024, 1, 1))
    make_goal(plan)
    monday = datetime.date(2024, 1, 1)
    for week in range(4):  # twice a week for four weeks: 8 sessions
        for day in (0, 3):
            at = clinic_time(world.child, monday + datetime.timedelta(weeks=week, days=day), 9)
            make_appointment(world.child, world.therapist, at, status="attended")
    late = clinic_time(world.child, datetime.date(2024, 1, 26), 9)
    make_appointment(
        world.child, world.therapist, late, status="cancelled",
        cancelled_by=world.guardian, late_cancel=True,
    )  # fmt: skip
    for day in (9, 16):  # the therapist was away: the clinic cancelled, one late
        at = clinic_time(world.child, datetime.date(2024, 1, day), 15)
        make_appointment(
            world.child, world.therapist, at, status="cancelled",
            cancelled_by=world.therapist, late_cancel=True,
        )  # fmt: skip
    forgotten = clinic_time(world.child, datetime.date(2024, 1, 24), 15)
    make_appointment(world.child, world.therapist, forgotten)  # never documented
    body = _page(world, client_as, start="2024-01-01", end="2024-01-28")
    assert "8 of 9 sessions attended (89 %)" in body
    assert "1 cancellation (1 late)" in body
    assert "2 sessions cancelled by the clinic (not counted)" in body
    assert "1 past session with no attendance recorded" in body
    # Booked and not cancelled by the clinic: 8 attended, 1 cancelled, 1 undocumented
    # over 4 weeks.
    assert "Frequency (sessions a week)</dt><dd>2.5</dd>" in body


def test_a_subtest_is_described_on_its_own_metric_and_an_unknown_one_is_left_blank(
    world, client_as
) -> None:
    demo_child(world)
    evaluation = Evaluation.objects.get(child=world.child)
    bot = Instrument.objects.get(organization=world.org, code="bot-2")
    own = Instrument.objects.create(organization=world.org, code="our-test", name="Our test")
    for instrument, subtest, standard in (
        (bot, "Balance", 8),  # a BOT-2 subtest: mean 15, SD 5, so z = -1.4
        (bot, "Strength", 25),  # z = +2
        (own, "Pegs", 70),  # no known metric: no descriptor
    ):
        StandardizedScore.objects.create(
            organization=world.org, child=world.child, evaluation=evaluation,
            instrument=instrument, subtest=subtest, standard_score=standard,
        )  # fmt: skip
    body = _page(world, client_as)
    assert "<td>Balance</td><td>8</td><td>—</td><td>Below average</td>" in body
    assert "<td>Strength</td><td>25</td><td>—</td><td>Well above average</td>" in body
    assert "<td>Pegs</td><td>70</td><td>—</td><td>—</td>" in body
    assert "<td>Fine Manual Control</td><td>36</td><td>8</td><td>Below average</td>" in body


@pytest.mark.parametrize(
    ("code", "subtest", "score", "expected"),
    [
        # The bands of the manuals: average within one SD of the mean; below average from
        # one SD down; well below from two SDs down (BOT-2 manual: composites 50/10 with
        # 41-59 average, 31-40 below average, <=30 well below; subtest scale scores 15/5.
        # PDMS-3, CELF-5, Bayley-4: subtest scaled scores 10/3, indexes and composites
        # 100/15).
        ("bot-2", "Balance", 10, "Below average"),
        ("bot-2", "Balance", 11, "Average"),
        ("bot-2", "Balance", 5, "Well below average"),
        ("bot-2", "Total Motor Composite", 40, "Below average"),
        ("bot-2", "Total Motor Composite", 41, "Average"),
        ("bot-2", "Total Motor Composite", 60, "Above average"),
        ("bot-2", "Total Motor Composite", 70, "Well above average"),
        ("pdms-3", "Object Control", 7, "Below average"),
        ("pdms-3", "Gross Motor Index", 86, "Average"),
        ("celf-5", "Word Classes", 4, "Well below average"),
        ("celf-5", "Core Language Score", 85, "Below average"),
        ("bayley-4", "Fine Motor", 13, "Above average"),
        ("bayley-4", "Motor Composite", 70, "Well below average"),
        ("sp2", "Seeking/Seeker", 40, ""),  # raw scores, no standard-score metric
        ("bot-2", "A renamed subtest", 40, ""),
        ("a-clinics-own", "Total", 40, ""),
    ],
)
def test_descriptor_bands(code: str, subtest: str, score: float, expected: str) -> None:
    assert scales.describe(code, subtest, score) == expected


def test_every_scale_in_the_catalogue_names_a_subtest_of_its_instrument() -> None:
    raw = json.loads((Path(scales.__file__).parent / "data" / "instruments.json").read_text())
    for item in raw["instruments"]:
        for name, (mean, sd) in item.get("scales", {}).items():
            assert name in item["subtests"], (item["code"], name)
            assert mean > 0 and sd > 0, (item["code"], name)


def _evaluation(world: World, on: datetime.date, code: str, name: str, rows) -> None:  # type: ignore[no-untyped-def]
    evaluation = Evaluation.objects.create(
        organization=world.org, child=world.child, discipline="ot", evaluated_on=on,
        therapist=world.therapist, status="final",
    )  # fmt: skip
    instrument = Instrument.objects.create(organization=world.org, code=code, name=name)
    for subtest, standard, percentile in rows:
        StandardizedScore.objects.create(
            organization=world.org, child=world.child, evaluation=evaluation,
            instrument=instrument, subtest=subtest, standard_score=standard,
            percentile=percentile,
        )  # fmt: skip


def test_necessity_cites_recent_scores_by_test_and_day_and_is_a_draft(world, client_as) -> None:
    demo_child(world)  # BOT-2 on 11 Jan 2024: Fine Manual Control at percentile 8
    _evaluation(world, datetime.date(2024, 3, 4), "pls-5", "PLS-5", [("Total Language", 78, 7)])
    _evaluation(world, datetime.date(2022, 5, 2), "vmi-old", "Beery VMI", [("VMI", 70, 2)])
    body = _page(world, client_as)
    assert (
        "On 11 Jan 2024, the BOT-2 placed Fine Manual Control at percentile 8 (below average)."
        in body
    )
    assert "On 4 Mar 2024, the PLS-5 placed Total Language at percentile 7." in body
    assert "Beery VMI placed" not in body  # two years before the period's end
    assert "Draft — the therapist reviews this before sending." in body
    assert "cannot reach without a therapist" not in body
    assert "Skilled occupational therapy remains needed" not in body
    assert (
        "Not met yet: Maya will button a coat independently in 4 of 5 trials "
        "(current: 77.5; target: 80 % of trials over 3 sessions)."
    ) in body


def test_the_percentile_is_written_for_people(world, client_as) -> None:
    demo_child(world)
    _evaluation(world, datetime.date(2024, 3, 4), "pls-5", "PLS-5", [("Total Language", 78, 7.5)])
    world.therapist.user.language = "es"
    world.therapist.user.save()
    assert "Total Language en el percentil 7,5" in _page(world, client_as)


def test_the_family_pdf_keeps_its_goal_reached_badge(world, client_as, monkeypatch) -> None:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly([40, 85, 90, 95], goal))
    printed = printed_html(monkeypatch)
    url = reverse("progress:report_pdf", args=[world.child.id])
    params = PERIOD | {"register": "family"}
    assert download_pdf(client_as(world.guardian), url, params).status_code == 200
    assert "Goal reached!" in " ".join(page.text for page in pages(printed[0]))
