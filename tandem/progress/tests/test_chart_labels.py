"""No word on a chart covers a dot, a line or another word (issue 14), for realistic series,
in both drawings of each chart (narrow for phones, wide for larger cards).

The rendered SVG is read back the way a browser lays it out, with text measured from the
font size and the number of characters (``labels.text_box``): a character is taken as
0.64 of the font size wide (DejaVu Sans averages about 0.55 em for Latin letters and
0.64 em for digits, so this errs wide), with 0.1 em spare on either side, 0.95 em above
the baseline and 0.25 em below. The browser test ``test_progress_long_series`` checks in
Chromium that each word's real box (``getBBox()``) lies inside that estimate.
"""

import datetime
import itertools
import re
from xml.etree.ElementTree import Element

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tandem.core.testing.svg import SVG, charts_in
from tandem.plans.models import Goal
from tandem.progress import analysis, charts
from tandem.progress.labels import Box, text_box
from tandem.progress.services import GoalProgress, Reading

from .helpers import make_goal, make_plan, record_sessions, weekly

START = datetime.date(2024, 1, 8)
SERIES = {
    "flat": [40.0 + (n % 3) for n in range(12)],
    "rising": [20.0 + 5 * n for n in range(10)],
    "crossing the goal line": [50.0, 62, 70, 76, 79, 83, 86, 88, 90, 91],
    "rising too slowly for the target date": [30.0, 31, 33, 33, 35, 36, 38, 38],
    "dense, three years": [35 + (n * 7 % 30) + n * 0.3 for n in range(156)],
    "near the top": [88.0, 92, 95, 97, 99, 100, 100, 98],
}


def _n(element: Element, attribute: str) -> float:
    return float(element.get(attribute, "0"))


def _boxes(svg: Element) -> tuple[list[tuple[str, Box]], list[Box], list[tuple[float, ...]]]:
    """The words' boxes, the dots' and bars' boxes and every line's segments (not the
    pale gridlines behind the plot: words may sit on those)."""
    default = float(svg.get("font-size", "14"))
    words = []
    for text in svg.iter(SVG + "text"):
        words.append(
            (
                "".join(text.itertext()),
                text_box(
                    "".join(text.itertext()),
                    float(text.get("x", "0")),
                    float(text.get("y", "0")),
                    float(text.get("font-size", default)),
                    text.get("text-anchor", "start"),
                ),
            )
        )
        assert text.get("transform") is None and text.get("dx") is None  # measured as drawn
    shapes = [
        Box(
            _n(c, "cx") - _n(c, "r"),
            _n(c, "cy") - _n(c, "r"),
            _n(c, "cx") + _n(c, "r"),
            _n(c, "cy") + _n(c, "r"),
        )
        for c in svg.iter(SVG + "circle")
    ] + [
        Box(_n(b, "x"), _n(b, "y"), _n(b, "x") + _n(b, "width"), _n(b, "y") + _n(b, "height"))
        for b in svg.iter(SVG + "rect")
    ]
    segments: list[tuple[float, ...]] = [
        tuple(float(line.get(k, "0")) for k in ("x1", "y1", "x2", "y2"))
        for line in svg.iter(SVG + "line")
        if line.get("class") != "grid"
    ]
    for path in svg.iter(SVG + "path"):
        points = [
            tuple(map(float, p)) for p in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path.get("d", ""))
        ]
        segments += [(*a, *b) for a, b in itertools.pairwise(points)]
    return words, shapes, segments


def overlaps(svg: Element) -> list[str]:
    """Every word that touches another word, a dot, a bar or a line, or leaves the chart."""
    words, shapes, segments = _boxes(svg)
    _x, _y, width, height = map(float, svg.get("viewBox", "").split())
    frame = Box(0, 0, width, height)
    found = []
    for i, (text, box) in enumerate(words):
        if not box.inside(frame):
            found.append(f"{text!r} leaves the chart")
        found += [f"{text!r} covers {other!r}" for other, b in words[i + 1 :] if box.overlaps(b)]
        found += [f"{text!r} covers a dot or bar" for b in shapes if box.overlaps(b)]
        found += [f"{text!r} crosses a line" for s in segments if box.crosses(*s)]
    return found


def _progress(values: list[float], **fields: object) -> GoalProgress:
    options = {
        "measurement_type": "percent_trials",
        "mastery_value": 80.0,
        "mastery_sessions": 3,
        "target_date": START + datetime.timedelta(days=365),
    }
    goal = Goal(**(options | fields))
    dates = [START + datetime.timedelta(weeks=n) for n in range(len(values))]
    readings = [Reading(d, v, None) for d, v in zip(dates, values, strict=True)]
    return GoalProgress(
        goal, readings, analysis.analyse(goal, list(zip(dates, values, strict=True)))
    )


def _drawn(chart: charts.Chart, family: bool) -> list[Element]:
    html = render_to_string(
        "progress/_chart.html",
        {"chart": chart, "chart_id": "c", "title": "t", "desc": "d", "family": family},
    )
    return [c.element for c in charts_in(html)]


@pytest.mark.parametrize("family", [False, True], ids=["staff", "family"])
@pytest.mark.parametrize("series", SERIES)
def test_no_word_covers_a_dot_a_line_or_another_word(series: str, family: bool) -> None:
    translation.activate("en")  # a page test before may have left Spanish on
    values = SERIES[series]
    target_date = START + datetime.timedelta(weeks=12 if "slowly" in series else len(values) + 40)
    progress = _progress(values, target_date=target_date)
    chart = charts.goal_chart(progress, family=family, name="Mateo")
    narrow, wide = _drawn(chart, family)
    assert overlaps(narrow) == [] and overlaps(wide) == []
    # The goal line is named in the drawing, unless every spot is taken (the legend names it).
    named = [t for t in wide.iter(SVG + "text") if t.get("class") == "label"]
    assert named, "the wide drawing names its lines"
    if "slowly" in series:
        assert progress.late and chart.late and chart.due_x is not None
        assert any(
            "target date" in "".join(t.itertext()).lower() or "hoped" in "".join(t.itertext())
            for t in named
        )
    tscore = charts.tscore_chart(
        type(
            "P",
            (),
            {"tscores": list(zip((r.date for r in progress.readings), values, strict=True))},
        )()
    )
    for svg in _drawn(tscore, family):
        assert overlaps(svg) == []


@pytest.mark.django_db
def test_a_late_goal_is_flagged_on_the_chart_and_in_the_text(world, client_as) -> None:
    goal = make_goal(
        make_plan(world.child, world.therapist),
        measurement_type="duration",
        mastery_value=600.0,
        target_date=START + datetime.timedelta(weeks=10),
    )
    record_sessions(world.therapist, world.child, weekly([100, 120, 130, 150, 160, 170], goal))
    url = reverse("progress:index", args=[world.child.id])
    family = client_as(world.guardian).get(url).content.decode()
    staff = client_as(world.therapist).get(url).content.decode()
    for page in (family, staff):
        svgs = [c.element for c in charts_in(page)]
        assert svgs and [overlaps(svg) for svg in svgs] == [[]] * len(svgs)
    name = world.child.preferred_name or world.child.first_name
    assert f"How long {name} kept going, in seconds" in family and "Goal: 600" in family
    assert "Mastery 600" not in family and "(seconds)" not in family
    assert "may take longer than hoped" in family and "Hoped-for date" in family
    assert "Mastery 600" in staff and "Duration" in staff
    assert "after the target date" in staff and "Target date" in staff
