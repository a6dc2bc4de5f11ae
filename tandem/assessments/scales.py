"""The standard-score metric of each subtest and composite of the shipped instruments, and
the usual descriptor of a score's distance from its mean.

One instrument mixes metrics (BOT-2 subtests: mean 15, SD 5; its composites: 50, 10), so a
descriptor is worked out only from the metric of that subtest or composite, read from
``scales`` in data/instruments.json. A subtest not listed there (a clinic's own
instrument, a renamed subtest, a criterion-referenced score) gets no descriptor: a blank
is better than a guess.
"""

import functools
import json
from pathlib import Path

from django.utils.translation import gettext as _


@functools.cache
def _scales() -> dict[str, dict[str, tuple[float, float]]]:
    raw = json.loads((Path(__file__).parent / "data" / "instruments.json").read_text())
    return {
        item["code"]: {
            name.casefold(): (float(mean), float(sd))
            for name, (mean, sd) in item.get("scales", {}).items()
        }
        for item in raw["instruments"]
    }


def score_scale(code: str, subtest: str) -> tuple[float, float] | None:
    """The (mean, SD) of a shipped instrument's subtest or composite, if known."""
    return _scales().get(code, {}).get(subtest.strip().casefold())


def describe(code: str, subtest: str, standard_score: float | None) -> str:
    """The descriptor of a standard score on its own subtest's metric, or "" if unknown.

    |z| < 1 average; −2 < z ≤ −1 below average; z ≤ −2 well below average, and the same
    above the mean (the bands of the BOT-2, PDMS-3, CELF-5 and Bayley-4 manuals: one and
    two standard deviations from the mean)."""
    scale = score_scale(code, subtest)
    if scale is None or standard_score is None:
        return ""
    mean, sd = scale
    distance = standard_score - mean  # compared with whole SDs: no rounding at the bounds
    if distance <= -2 * sd:
        return _("Well below average")
    if distance <= -sd:
        return _("Below average")
    if distance < sd:
        return _("Average")
    return _("Above average") if distance < 2 * sd else _("Well above average")
