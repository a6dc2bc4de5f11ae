"""Growth charts drawn on the server as SVG: centile lines 3/15/50/85/97, the child's points.

The centile curves come from ``growth.py``; this module only maps ages and values
onto the drawing area. The template draws it (``_growth_chart.html``) with localization
off: coordinates are for the browser; the labels, for people, are already localized here.
"""

import math
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tandem.children.models import Child
from tandem.core.numbers import for_people

from .models import GrowthMeasurement
from .reading_growth import no_centile_note

CENTILES = (3, 15, 50, 85, 97)
WIDTH, HEIGHT = 640, 380
LEFT, RIGHT, TOP, BOTTOM = 52, 600, 16, 340
# Lazy: the titles are read when a page is drawn, in the reader's language.
CHARTS = (
    ("height", "height_cm", gettext_lazy("Height / length (cm)")),
    ("weight", "weight_kg", gettext_lazy("Weight (kg)")),
    ("ofc", "head_circumference_cm", gettext_lazy("Head circumference (cm)")),
    ("bmi", "bmi", gettext_lazy("BMI (kg/m²)")),
)


def _age_years(child: Child, when: date) -> float:
    return (when - child.date_of_birth).days / 365.25


def _nice_step(span: float, ticks: int = 6) -> float:
    raw = span / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def growth_charts(child: Child, measurements: list[GrowthMeasurement]) -> list[dict[str, Any]]:
    """One chart per measure the child has values for at ages its reference covers.

    A value after the reference's last age (head circumference after three years, any
    measure after twenty) has no centile to draw against; the table shows it and why.
    """
    from . import growth

    charts = []
    for key, attr, title in CHARTS:
        points = [
            (age, float(getattr(m, attr)), m)
            for m in measurements
            if getattr(m, attr) is not None
            and (age := _age_years(child, m.measured_on)) <= growth.LAST_AGE[key]
        ]
        if not points:
            continue
        charts.append(_chart(child, key, str(title), points))
    return charts


def _chart(
    child: Child, key: str, title: str, points: list[tuple[float, float, Any]]
) -> dict[str, Any]:
    from . import growth

    first_age = min(p[0] for p in points)
    last_age = max(p[0] for p in points)
    # Under two the chart spans 0–2 years (WHO); from two, a window around the points (CDC).
    if last_age < 2:
        x_min, x_max = 0.0, 2.0
    else:
        x_min = max(2.0, math.floor(first_age) - 1) if first_age >= 2 else 0.0
        x_max = min(20.0, math.ceil(last_age) + 1)
    curves = growth.centile_curves(
        child.sex,
        key,
        x_min,
        x_max,
        centiles=CENTILES,
        gestation_weeks=child.gestational_age_weeks,
    )
    values = [p[1] for p in points] + [v for line in curves.values() for _a, v in line]
    y_min, y_max = min(values), max(values)
    step = _nice_step(y_max - y_min or 1)
    y_min = math.floor(y_min / step) * step
    y_max = max(math.ceil(y_max / step) * step, y_min + step)  # one value, no curve: one step

    def sx(age: float) -> float:
        return round(LEFT + (age - x_min) / (x_max - x_min) * (RIGHT - LEFT), 1)

    def sy(value: float) -> float:
        return round(BOTTOM - (value - y_min) / (y_max - y_min) * (BOTTOM - TOP), 1)

    lines = []
    for centile in CENTILES:
        line = [(a, v) for a, v in curves.get(centile, []) if x_min <= a <= x_max]
        if not line:
            continue
        lines.append(
            {
                "centile": centile,
                "points": " ".join(f"{sx(a)},{sy(v)}" for a, v in line),
                "label_y": sy(line[-1][1]),
            }
        )
    x_step = 0.25 if x_max - x_min <= 2 else (1 if x_max - x_min <= 10 else 2)
    x_ticks = []
    tick = x_min
    while tick <= x_max + 1e-9:
        label = f"{round(tick * 12)}" if x_max <= 2 else for_people(tick)
        x_ticks.append({"pos": sx(tick), "label": label})
        tick += x_step
    y_ticks = []
    value = y_min
    while value <= y_max + 1e-9:
        y_ticks.append({"pos": sy(value), "label": for_people(value)})
        value += step
    shown = [
        {
            "x": sx(a),
            "y": sy(v),
            "label": f"{date_format(m.measured_on, 'MEDIUM_DATE_FORMAT')}: {for_people(v)}"
            + _flag(m, key),
            "implausible": bool((m.results or {}).get(key, {}).get("implausible")),
        }
        for a, v, m in points
    ]
    if x_max <= 2:
        reference = _("WHO growth standard (0–2 years)")
    elif x_min < 2:
        reference = _("WHO growth standard to 2 years, then CDC growth charts (2–20 years)")
    else:
        reference = _("CDC growth charts (2–20 years)")
    return {
        "key": key,
        "title": title,
        "reference": reference,
        "description": ngettext(
            "%(title)s by age, %(n)s measurement, with centile lines.",
            "%(title)s by age, %(n)s measurements, with centile lines.",
            len(points),
        )
        % {"title": title, "n": len(points)},
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": RIGHT,
        "top": TOP,
        "bottom": BOTTOM,
        "plot_width": RIGHT - LEFT,
        "plot_height": BOTTOM - TOP,
        "x_label_x": (LEFT + RIGHT) // 2,
        "y_label_y": (TOP + BOTTOM) // 2,
        "x_label": _("Age (months)") if x_max <= 2 else _("Age (years)"),
        "y_label": title,
        "x_ticks": x_ticks,
        "y_ticks": y_ticks,
        "centiles": lines,
        "points": shown,
        "child_line": " ".join(f"{p['x']},{p['y']}" for p in shown) if len(shown) > 1 else "",
    }


def _flag(measurement: GrowthMeasurement, key: str) -> str:
    """The tooltip's note on a value confirmed beyond WHO's plausible range, or without centile."""
    result = (measurement.results or {}).get(key, {})
    if result.get("implausible"):
        return " — " + str(_("beyond WHO's plausible range, confirmed by the clinician"))
    note = no_centile_note(key, result)
    return f" — {note}" if note else ""
