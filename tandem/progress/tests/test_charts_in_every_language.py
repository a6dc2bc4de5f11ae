"""Every progress chart draws in every language: plain numbers for the browser, localized
labels for people. In Spanish, coordinates once came out as "198,5" (axes read "5 4 3 2",
dots vanished).

Charts: a goal's results by session and the plan's GAS T-score, on the Progress tab
(staff and family), in the progress report (clinical and family registers, page and
PDF) and on a collaborator's page (a teacher the family shared progress with).
"""

import re
from typing import Any

import pytest
import weasyprint
from django.conf import settings
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.conftest import World
from tandem.core.testing.svg import Chart, charts_in
from tandem.exports.tests.helpers import download_pdf
from tandem.plans.models import Goal

from .helpers import make_goal, make_plan, record_sessions, weekly

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
PERIOD = {"start": "2024-01-01", "end": "2024-06-30"}
VALUES = [20, 32.5, 40, 47.5, 60]
LEVELS = [-2, -1, -1, 0, 0]
# The second session's tooltip, as a person reads it.
TOOLTIP = {"en": "15 Jan 2024: 32.5", "es": "15 ene 2024: 32,5"}
# Weeks of sessions: the time axis names days ("8 ene"), not the same month four times.
FIRST_DAY = {"en": "8 Jan", "es": "8 ene"}
DAY = {"en": re.compile(r"^\d{1,2} [A-Z][a-z]{2}$"), "es": re.compile(r"^\d{1,2} [a-z]{3}$")}


@pytest.fixture
def goal(world: World) -> Goal:
    goal = make_goal(make_plan(world.child, world.therapist))
    record_sessions(world.therapist, world.child, weekly(VALUES, goal, levels=LEVELS))
    return goal


def _speaking(member: Membership, language: str) -> Membership:
    member.user.language = language
    member.user.save(update_fields=["language"])
    return member


def _drawn(html: str) -> list[Chart]:
    """The charts a phone shows (each chart is drawn narrow and wide on a page; CSS shows
    the one that fits), or the one drawing of each in a PDF."""
    charts = charts_in(html)
    assert len(charts) % 2 == 0 or all(c.element.get("class") == "chart-print" for c in charts)
    return [c for c in charts if c.element.get("class") in ("chart-narrow", "chart-print")]


def _tooltips(html: str) -> list[str]:
    """The dots' tooltips (only the wide drawing has them: a phone does not hover)."""
    return [
        t for c in charts_in(html) if c.element.get("class") != "chart-narrow" for t in c.titles()
    ]


def _x_labels(chart: Chart) -> list[str]:
    """The time axis' labels, left to right."""
    labels = [t for t in chart.all("text") if t.get("class") == "tick-x"]
    return ["".join(t.itertext()) for t in sorted(labels, key=lambda t: float(t.get("x", "")))]


def _y_labels(chart: Chart) -> list[str]:
    """The value axis' labels, bottom to top."""
    labels = [t for t in chart.all("text") if t.get("class") == "tick-y"]
    return ["".join(t.itertext()) for t in sorted(labels, key=lambda t: -float(t.get("y", "")))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_progress_tab_draws_every_chart(world, client_as, goal, language) -> None:
    for member in (world.therapist, world.guardian):
        page = client_as(_speaking(member, language)).get(
            reverse("progress:index", args=[world.child.id])
        )
        assert page.status_code == 200
        tscore, goal_chart = _drawn(page.content.decode())
        assert len(tscore.dots) == len(VALUES) and len(goal_chart.dots) == len(VALUES)
        assert goal_chart.all("path")[0].get("d", "").count("L") == len(VALUES) - 1
        assert TOOLTIP[language] in _tooltips(page.content.decode())
        # A percentage of trials is drawn 0–100: five labels, in order, bottom to top.
        assert _y_labels(goal_chart) == ["0", "25", "50", "75", "100"]
        for chart in (tscore, goal_chart):
            days = _x_labels(chart)
            assert days[0] == FIRST_DAY[language] and len(set(days)) == len(days) == 3
            assert all(DAY[language].match(day) for day in days), days
        # Lower GAS levels early, expected ones late: the T-score line climbs (y falls).
        first, last = (float(d.get("cy", "")) for d in (tscore.dots[0], tscore.dots[-1]))
        assert last < first


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("register", ["clinical", "family"])
def test_the_report_page_draws_every_chart(world, client_as, goal, language, register) -> None:
    client = client_as(_speaking(world.therapist, language))
    page = client.get(
        reverse("progress:report", args=[world.child.id]), PERIOD | {"register": register}
    )
    assert page.status_code == 200
    tscore, goal_chart = _drawn(page.content.decode())
    assert len(tscore.dots) == len(VALUES) and len(goal_chart.dots) == len(VALUES)
    assert TOOLTIP[language] in _tooltips(page.content.decode())


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_collaborators_page_draws_the_goal_charts(world, client_as, goal, language) -> None:
    client = client_as(_speaking(world.consented_collaborator, language))
    page = client.get(reverse("collaborators:child", args=[world.child.id]))
    assert page.status_code == 200
    (goal_chart,) = _drawn(page.content.decode())
    assert len(goal_chart.dots) == len(VALUES)
    assert TOOLTIP[language] in _tooltips(page.content.decode())


@pytest.mark.parametrize("register", ["clinical", "family"])
def test_a_spanish_pdf_is_printed_from_charts_a_browser_can_read(
    world, client_as, goal, monkeypatch, register
) -> None:
    printed: list[str] = []
    real = weasyprint.HTML

    def spy(*args: Any, string: str, **kwargs: Any) -> weasyprint.HTML:
        printed.append(string)
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    client = client_as(_speaking(world.therapist, "es"))
    response = download_pdf(
        client,
        reverse("progress:report_pdf", args=[world.child.id]),
        PERIOD | {"register": register},
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    (html,) = printed
    tscore, goal_chart = _drawn(html)
    assert len(tscore.dots) == len(VALUES) and len(goal_chart.dots) == len(VALUES)
    assert TOOLTIP["es"] in goal_chart.titles()
    assert _y_labels(goal_chart) == ["0", "25", "50", "75", "100"]
