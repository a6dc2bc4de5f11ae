"""Each drawing of a chart carries its own legend, shown and hidden with it: the phone's
narrow drawing averages a long series and adds weeks of home practice up sooner than the
wide one, so its legend says so and the wide one's does not; the PDF prints the wide
drawing with the wide legend."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tandem.plans.models import Goal
from tandem.progress import analysis, charts
from tandem.progress.services import GoalProgress, Reading

START = datetime.date(2024, 1, 8)
WEEKS = 40  # more dots than the narrow drawing draws (28), fewer than the wide one (56)
AVERAGED = "the average of the sessions in a stretch of time"
ONE_SESSION = "a session"
TWO_WEEK_BARS = "bar height: times in 2 weeks"
ONE_WEEK_BARS = "bar height: times that week"


def _chart(family: bool = False) -> charts.Chart:
    goal = Goal(
        measurement_type="percent_trials",
        mastery_value=80.0,
        mastery_sessions=3,
        target_date=START + datetime.timedelta(weeks=WEEKS + 30),
    )
    dates = [START + datetime.timedelta(weeks=n) for n in range(WEEKS)]
    values = [30.0 + n for n in range(WEEKS)]
    progress = GoalProgress(
        goal,
        [Reading(d, v, None) for d, v in zip(dates, values, strict=True)],
        analysis.analyse(goal, list(zip(dates, values, strict=True))),
    )
    progress.home_practice = [(d, 3) for d in dates]  # dates are Mondays
    return charts.goal_chart(progress, family=family, name="Mateo")


def _legends(html: str) -> dict[str, str]:
    """Each legend's words by its class ("legend-narrow", "legend-wide", or "legend" for
    the PDF's one)."""
    found = {}
    for css, body in re.findall(
        r'<(?:div|figcaption) class="legend muted ?([\w-]*)">(.*?)</(?:div|figcaption)>',
        html,
        re.S,
    ):
        found[css or "legend"] = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    return found


def _render(chart: charts.Chart, **context: object) -> str:
    return render_to_string(
        "progress/_chart.html",
        {"chart": chart, "chart_id": "c", "title": "t", "desc": "d"} | context,
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_drawings_differ_as_the_legends_say():
    chart = _chart()
    assert chart.averaged and chart.bar_weeks == 2
    assert chart.wide is not None and not chart.wide.averaged and chart.wide.bar_weeks == 1


@pytest.mark.parametrize("family", [False, True], ids=["staff", "family"])
def test_each_drawing_on_the_page_has_its_own_legend(family):
    legends = _legends(_render(_chart(family), family=family))
    assert set(legends) == {"legend-narrow", "legend-wide"}
    narrow, wide = legends["legend-narrow"], legends["legend-wide"]
    assert AVERAGED in narrow and TWO_WEEK_BARS in narrow
    assert AVERAGED not in wide and TWO_WEEK_BARS not in wide
    assert wide.startswith(ONE_SESSION) and ONE_WEEK_BARS in wide


def test_the_css_shows_each_legend_with_its_drawing():
    styles = render_to_string("progress/_styles.html")
    phone, _sep, wide_card = styles.partition("@container (min-width: 36rem)")
    assert re.search(
        r"svg\.chart-wide, \.progress-chart \.legend\.legend-wide \{ display: none", phone
    )
    assert re.search(
        r"svg\.chart-narrow, \.progress-chart \.legend\.legend-narrow \{ display: none", wide_card
    )
    assert ".legend.legend-wide { display: flex; }" in wide_card


def test_the_pdf_prints_the_wide_drawing_with_the_wide_legend():
    html = _render(_chart(), pdf=True)
    assert 'class="chart-print"' in html and 'class="chart-narrow"' not in html
    legends = _legends(html)
    assert list(legends) == ["legend"]
    assert AVERAGED not in legends["legend"] and ONE_WEEK_BARS in legends["legend"]
