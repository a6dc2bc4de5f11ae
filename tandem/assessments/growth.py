"""Growth z-scores, centiles and centile curves: WHO 2006 under two years, CDC 2000 from two.

A pure module over the ``rcpchgrowth`` library (RCPCH). Its ``"cdc"`` reference is
itself a patchwork: WHO 2006 for length and weight under two, CDC 2000 from two to
twenty (BMI with CDC's 2022 extended percentiles above the 95th), but CDC 2000 head
circumference from birth to three years and no BMI under two. Tandem's rule is WHO
under two for every measure, so under two we ask rcpchgrowth's ``"who"`` reference
(WHO's own daily LMS tables, the ones WHO Anthro uses) and from two its ``"cdc"`` one.

Age is corrected for prematurity (born before 37 weeks) until the corrected age
reaches two years, the rule rcpchgrowth applies to its WHO and CDC references.

Lying or standing: rcpchgrowth looks a value up in WHO's length table under two and in
the height tables from two, and takes the value as given. WHO Anthro (and its igrowup
macros) first converts the measure to the table's position: a child under two measured
standing gets 0.7 cm added, a child of two or more measured lying 0.7 cm taken off
(WHO Child Growth Standards 2006, length/height-for-age, p. 7). ``measure`` does the
same when told the position; an unknown position is taken to be the usual one for the age.

Implausible values: a z-score beyond WHO's flag limits (WHO Anthro manual, "flagged"
cut-offs of the igrowup macros) is almost surely a typo or a wrong unit. ``measure``
returns it marked ``implausible``; the caller refuses it unless a clinician confirms it.

No reference: outside a reference's ages (head circumference after three years, any
measure after twenty, a preterm child before term) ``measure`` raises ``NoReference``,
a ValueError that says which case it is; the value is real, it just has no centile.
Any other ValueError is a value or date no child can have.
"""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from rcpchgrowth import (
    chronological_decimal_age,
    corrected_decimal_age,
    measurement_from_sds,
    sds_for_measurement,
)
from scipy.stats import norm

WHO_2006 = "WHO 2006"
CDC_2000 = "CDC 2000"
CDC_EXTENDED_BMI = "CDC 2022 extended BMI"

SEXES = {"F": "female", "M": "male"}
CHILDREN = {"F": "girl", "M": "boy"}
MEASURES = ("height", "weight", "ofc", "bmi")  # also rcpchgrowth's names for them
LABELS = {"height": "height", "weight": "weight", "ofc": "head circumference", "bmi": "BMI"}
UNITS = {"height": "cm", "weight": "kg", "ofc": "cm", "bmi": "kg/m²"}
# The oldest age each measure has a reference for: CDC 2000 head circumference stops at 36 months.
LAST_AGE = {"height": 20.0, "weight": 20.0, "ofc": 3.0, "bmi": 20.0}
# WHO's flag limits (WHO Anthro manual / igrowup macros, WHO Child Growth Standards 2006):
# weight-for-age below -6 or above 5, length/height-for-age beyond ±6, BMI- and head
# circumference-for-age beyond ±5. Beyond them a value is flagged as biologically implausible.
FLAG_LIMITS = {"height": (-6.0, 6.0), "weight": (-6.0, 5.0), "ofc": (-5.0, 5.0), "bmi": (-5.0, 5.0)}
LYING, STANDING = "lying", "standing"
# WHO: recumbent length is on average 0.7 cm more than standing height.
LYING_MINUS_STANDING_CM = 0.7
# The largest z whose normal CDF a double can still tell from 1; extended BMI saturates there.
MAX_Z = float(norm.ppf(math.nextafter(1.0, 0.0)))
TERM_WEEKS = 40
PRETERM_BELOW_WEEKS = 37
GESTATION_WEEKS_RANGE = (22, 44)
DAYS_PER_YEAR = 365.25


class NoReference(ValueError):
    """No reference covers this measure at this age; the value itself may well be right.

    ``reason`` says why, for callers that explain it in the reader's language:
    ``AFTER_LAST_AGE`` (older than ``LAST_AGE[name]``), ``BEFORE_TERM`` (corrected age
    before 40 weeks) or ``NOT_AT_AGE`` (rcpchgrowth has no table at that age).
    """

    AFTER_LAST_AGE = "after_last_age"
    BEFORE_TERM = "before_term"
    NOT_AT_AGE = "not_at_age"

    def __init__(self, name: str, reason: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class GrowthResult:
    """One measurement against its reference; ``age_years`` is the (corrected) age used."""

    z: float
    centile: float
    reference: str
    age_years: float
    corrected: bool
    implausible: bool = False


def measure(
    sex: str,
    date_of_birth: date,
    measured_on: date,
    name: str,
    value: float | Decimal,
    gestational_age_weeks: int | None = None,
    position: str = "",
) -> GrowthResult:
    """Return the z-score and centile of a height, weight, head circumference or BMI.

    ``position`` (``"lying"`` or ``"standing"``, heights only) is how the length or
    height was measured. The result is ``implausible`` beyond WHO's flag limits.
    Raise ``NoReference`` for an age no reference covers, and ValueError, with a
    message a clinician can act on, for a value or date no child can have.
    """
    _check_name(name)
    observed = float(value)
    age, corrected = age_used(date_of_birth, measured_on, gestational_age_weeks)
    if name == "height":
        observed = adjusted_height(observed, age, position)
    z = z_for_value(sex, name, age, observed)
    reference = _reference_name(sex, name, age, observed)
    return GrowthResult(
        z=z,
        centile=float(norm.cdf(z)) * 100,
        reference=reference,
        age_years=age,
        corrected=corrected,
        implausible=is_implausible(name, z, reference),
    )


def age_used(
    date_of_birth: date, measured_on: date, gestational_age_weeks: int | None
) -> tuple[float, bool]:
    """Return the age in years the references are read at, and whether it is corrected."""
    if measured_on < date_of_birth:
        raise ValueError("The measurement date is before the date of birth.")
    return _age_used(date_of_birth, measured_on, gestational_age_weeks)


def adjusted_height(value_cm: float, age_years: float, position: str) -> float:
    """Convert a length or height to the position WHO's table at this age expects.

    Lying under two and standing from two need nothing; otherwise WHO adds (under two,
    measured standing) or takes off (from two, measured lying) 0.7 cm.
    """
    if position == STANDING and age_years < 2:
        return value_cm + LYING_MINUS_STANDING_CM
    if position == LYING and age_years >= 2:
        return value_cm - LYING_MINUS_STANDING_CM
    return value_cm


def is_implausible(name: str, z: float, reference: str = "") -> bool:
    """Whether a z-score lies beyond WHO's flag limits for the measure.

    CDC's extended BMI reference exists to tell severe obesity apart, where z-scores
    above 5 are real; a high BMI on it is not flagged (height and weight still are).
    """
    low, high = FLAG_LIMITS[name]
    if name == "bmi" and reference == CDC_EXTENDED_BMI:
        return z < low
    return z < low or z > high


def z_for_value(sex: str, name: str, age_years: float, value: float) -> float:
    """Return the z-score of a value at an age (already corrected) on Tandem's references."""
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"The {LABELS[name]} must be a positive number, not {value:g}.")
    reference, age_years = _reference(sex, name, age_years)
    try:
        z = float(sds_for_measurement(reference, age_years, name, value, SEXES[sex]))
    except LookupError as err:  # rcpchgrowth has no table for the measure at this age
        raise NoReference(name, NoReference.NOT_AT_AGE, str(err)) from err
    # Far above the 95th centile CDC's extended BMI percentile rounds to 100 and z to infinity.
    return max(-MAX_Z, min(MAX_Z, z))


# Each call walks rcpchgrowth's tables (about 1 ms); charts ask for the same points again and again.
@lru_cache(maxsize=65536)
def value_for_z(sex: str, name: str, age_years: float, z: float) -> float | None:
    """Return the value with a given z-score at an age, or None where the LMS curve has none.

    The inverse of ``z_for_value`` within ±3 SD; beyond that WHO restricts weight and BMI
    z-scores in a way this plain LMS inverse does not undo.
    """
    reference, age_years = _reference(sex, name, age_years)
    try:
        value = measurement_from_sds(reference, z, name, SEXES[sex], age_years)
    except LookupError as err:
        raise ValueError(str(err)) from err
    return None if value is None else float(value)


def centile_curves(
    sex: str,
    name: str,
    x_min_years: float,
    x_max_years: float,
    centiles: tuple[float, ...] = (3, 15, 50, 85, 97),
    gestation_weeks: int | None = None,
) -> dict[float, list[tuple[float, float]]]:
    """Return {centile: [(chronological age in years, value), ...]} between two ages.

    For a preterm child the curves are drawn against chronological age, shifted by the
    age correction, so that the child's own points fall on the centile ``measure`` gives.
    """
    _check_name(name)
    zs = {c: float(norm.ppf(c / 100)) for c in centiles}
    curves: dict[float, list[tuple[float, float]]] = {c: [] for c in centiles}
    for days in _grid_days(x_min_years, x_max_years, gestation_weeks):
        age, _corrected = _age_for_days(days, gestation_weeks)
        if age < 0 or age > LAST_AGE[name]:
            continue
        values = [value_for_z(sex, name, age, z) for z in zs.values()]
        known = [v for v in values if v is not None]
        if len(known) < len(values):
            continue  # keep the lines aligned: every centile at every age, or none
        for c, v in zip(zs, known, strict=True):
            curves[c].append((days / DAYS_PER_YEAR, v))
    return curves


def _check_name(name: str) -> None:
    if name not in MEASURES:
        raise ValueError(f"Unknown growth measure {name!r}; use one of {', '.join(MEASURES)}.")


def _reference(sex: str, name: str, age_years: float) -> tuple[str, float]:
    """Return rcpchgrowth's reference for a measure at an age, and the age to look up."""
    if sex not in SEXES:
        raise ValueError(f"Unknown sex {sex!r}; the growth references need F or M.")
    _check_name(name)
    if age_years < 0:
        raise NoReference(
            name,
            NoReference.BEFORE_TERM,
            "The corrected age is before term; the WHO standards start at term (40 weeks).",
        )
    if age_years > LAST_AGE[name]:
        raise NoReference(
            name,
            NoReference.AFTER_LAST_AGE,
            f"There is no {LABELS[name]} reference after {LAST_AGE[name]:g} years "
            f"(WHO 2006 to 2 years, CDC 2000 from 2); this child is {age_years:.1f} years old.",
        )
    if age_years >= 2:
        return "cdc", age_years
    # WHO's tables have a row per day of age to 730 days; WHO Anthro also rounds to whole days.
    return "who", min(round(age_years * DAYS_PER_YEAR), 730) / DAYS_PER_YEAR


def _reference_name(sex: str, name: str, age_years: float, value: float) -> str:
    if age_years < 2:
        return WHO_2006
    if name == "bmi":
        p95 = value_for_z(sex, name, age_years, float(norm.ppf(0.95)))
        if p95 is not None and value > p95:
            return CDC_EXTENDED_BMI
    return CDC_2000


def _age_used(
    date_of_birth: date, measured_on: date, gestation_weeks: int | None
) -> tuple[float, bool]:
    """Return the age to look up, corrected for prematurity while it is under two years."""
    chronological = chronological_decimal_age(date_of_birth, measured_on)
    if gestation_weeks is None or not _is_preterm(gestation_weeks):
        return chronological, False
    corrected = corrected_decimal_age(date_of_birth, measured_on, gestation_weeks, 0)
    if corrected < 2:
        return corrected, True
    return chronological, False


def _age_for_days(days: int, gestation_weeks: int | None) -> tuple[float, bool]:
    """``_age_used`` for an age in whole days since birth."""
    if gestation_weeks is not None and _is_preterm(gestation_weeks):
        corrected = (days - (TERM_WEEKS - gestation_weeks) * 7) / DAYS_PER_YEAR
        if corrected < 2:
            return corrected, True
    return days / DAYS_PER_YEAR, False


def _is_preterm(gestation_weeks: int) -> bool:
    low, high = GESTATION_WEEKS_RANGE
    if not low <= gestation_weeks <= high:
        raise ValueError(
            f"A gestational age of {gestation_weeks} weeks is outside {low} to {high} weeks; "
            "check the child's record."
        )
    return gestation_weeks < PRETERM_BELOW_WEEKS


def _grid_days(x_min_years: float, x_max_years: float, gestation_weeks: int | None) -> list[int]:
    """Whole days from x_min to x_max: weekly on the WHO part, monthly or sparser on the CDC part.

    Whole days land exactly on the rows of WHO's daily tables, so nothing is interpolated;
    the CDC curves are smooth enough for about a hundred points across the chart.
    """
    first = max(0, math.ceil(x_min_years * DAYS_PER_YEAR))
    last = math.floor(x_max_years * DAYS_PER_YEAR)
    cdc_step = max(30, (last - first) // 100)
    days: list[int] = []
    day = first
    while day <= last:
        days.append(day)
        age, _corrected = _age_for_days(day, gestation_weeks)
        day += 7 if age < 2 else cdc_step
    if days and days[-1] != last:
        days.append(last)
    return days
