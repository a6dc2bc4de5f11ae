"""What the growth pages and API show of a measurement: centiles, the reason a value has
none, and the message after saving.

``growth`` (WHO and UK-WHO references, loaded on first use) does the arithmetic; this
module turns its results into what is stored, shown and said.
"""

import importlib
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.children.models import Child
from tandem.core.numbers import for_people

from .models import GrowthMeasurement


def _growth() -> Any:
    """The growth module, imported on first use: it loads its reference tables."""
    return importlib.import_module("tandem.assessments.growth")


MEASURES = (
    ("height", "height_cm", "cm"),
    ("weight", "weight_kg", "kg"),
    ("ofc", "head_circumference_cm", "cm"),
    ("bmi", "bmi", "kg/m²"),
)


# The form and API field each measure is entered in (BMI is computed from two of them).
GROWTH_FIELD = {"height": "height_cm", "weight": "weight_kg", "ofc": "head_circumference_cm"}
GROWTH_LABELS = {
    "height": gettext_lazy("height or length"),
    "weight": gettext_lazy("weight"),
    "ofc": gettext_lazy("head circumference"),
    "bmi": gettext_lazy("BMI"),
}


def growth_results(child: Child, measurement: GrowthMeasurement) -> dict[str, Any]:
    """Z-score, centile and reference of each measured value, via ``growth.measure``.

    A value at an age no reference covers (head circumference after three years, any
    measure after twenty, before term) is stored without a z-score or centile, with the
    reason (``no_reference``; ``no_centile_note`` says it to people). Raise
    ValidationError, by field, for a value no child can have (nothing is stored
    half-computed) and for one beyond WHO's plausible range unless the clinician
    confirmed it (``confirmed_implausible``); confirmed values are stored flagged.
    """
    growth = _growth()
    results: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in measurement.values().items():
        if value is None:
            continue
        if name == "bmi" and errors:
            continue  # a wrong height or weight is already said; its BMI adds nothing
        try:
            result = growth.measure(
                child.sex,
                child.date_of_birth,
                measurement.measured_on,
                name,
                _bmi_value(measurement, child) if name == "bmi" else value,
                child.gestational_age_weeks,
                measurement.length_position if name == "height" else "",
            )
        except growth.NoReference as exc:
            results[name] = {
                "z": None,
                "centile": None,
                "reference": "",
                "implausible": False,
                "no_reference": exc.reason,
            }
            continue
        except (ValueError, LookupError) as exc:
            errors.setdefault(GROWTH_FIELD.get(name, name), []).append(
                _("The %(measure)s cannot be placed on the growth references: %(reason)s")
                % {"measure": GROWTH_LABELS[name], "reason": exc}
            )
            continue
        if result.implausible and not measurement.confirmed_implausible:
            low, high = growth.FLAG_LIMITS[name]
            errors.setdefault(GROWTH_FIELD.get(name, name), []).append(
                _(
                    "A %(measure)s of %(value)s %(unit)s is %(z)s SD from the median for this "
                    "child's age, beyond WHO's plausible range (z %(low)s to %(high)s). Check "
                    "the value and its unit; if it is right, confirm it and save again."
                )
                % {
                    "measure": GROWTH_LABELS[name],
                    "value": localize(round(value, 2)),
                    "unit": growth.UNITS[name],
                    "z": localize(round(abs(result.z), 1)),
                    "low": localize(low),
                    "high": localize(high),
                }
            )
            continue
        results[name] = {
            "z": round(float(result.z), 2),
            "centile": round(float(result.centile), 1),
            "reference": result.reference,
            "implausible": result.implausible,
        }
    if errors:
        raise ValidationError(errors)
    return results


def _bmi_value(measurement: GrowthMeasurement, child: Child) -> float:
    """The BMI to look up: from the length converted as WHO does for the child's age."""
    growth = _growth()
    height, weight = measurement.values()["height"], measurement.values()["weight"]
    if height is None or weight is None:
        return float(measurement.bmi or 0)
    age, _corrected = growth.age_used(
        child.date_of_birth, measurement.measured_on, child.gestational_age_weeks
    )
    metres = growth.adjusted_height(height, age, measurement.length_position) / 100
    return float(weight / (metres * metres))


def no_centile_note(name: str, result: dict[str, Any]) -> str:
    """Why a stored value has no z-score or centile, in the reader's language ("" if it has)."""
    reason = result.get("no_reference")
    if not reason:
        if result.get("error"):  # stored before the reason was kept as a code
            return _("No centile: %(reason)s") % {"reason": result["error"]}
        return ""
    growth = _growth()
    measure = GROWTH_LABELS.get(name, name)
    if reason == growth.NoReference.AFTER_LAST_AGE:
        return _("No reference for %(measure)s after %(years)s years") % {
            "measure": measure,
            "years": for_people(growth.LAST_AGE[name]),
        }
    if reason == growth.NoReference.BEFORE_TERM:
        return _("No reference for %(measure)s before term (40 weeks corrected age)") % {
            "measure": measure
        }
    return _("No reference for %(measure)s at this age") % {"measure": measure}


def results_out(results: dict[str, Any]) -> dict[str, Any]:
    """Stored growth results with ``note``, why a value has no centile, for the API."""
    return {
        name: {**result, "note": no_centile_note(name, result)}
        for name, result in (results or {}).items()
    }


def describe_growth(m: GrowthMeasurement, child: Child) -> dict[str, Any]:
    cells = []
    for name, attr, unit in MEASURES:
        value = getattr(m, attr)
        result = (m.results or {}).get(name, {})
        cells.append(
            {
                "name": name,
                "value": value,
                "unit": unit,
                "z": result.get("z"),
                "centile": result.get("centile"),
                "reference": result.get("reference", ""),
                "implausible": bool(result.get("implausible")),
                "note": no_centile_note(name, result) if value is not None else "",
            }
        )
    age = child.age_on(m.measured_on)
    return {
        "id": m.id,
        "measured_on": m.measured_on,
        "position": m.get_length_position_display() if m.height_cm is not None else "",
        "confirmed_implausible": m.confirmed_implausible,
        "age_label": _("%(y)s y %(m)s m") % {"y": age[0], "m": age[1]},
        "cells": cells,
    }


def growth_message(described: dict[str, Any]) -> str:
    """The confirmation after saving: each value with its centile, or why it has none."""
    flag = _("beyond WHO's plausible range, confirmed by the clinician")

    def said(c: dict[str, Any]) -> str:
        value = f"{localize(c['value'])} {c['unit']}"
        if c["centile"] is None:
            return f"{value} ({c['note']})"
        centile = _("centile %(c)s · z %(z)s") % {
            "c": localize(c["centile"]),
            "z": localize(c["z"]),
        }
        return f"{value} ({centile})" + (f" — {flag}" if c["implausible"] else "")

    parts = [
        said(c)
        for c in described["cells"]
        if c["value"] is not None and (c["centile"] is not None or c["note"])
    ]
    if not parts:
        return _("The measurements were saved.")
    return _("The measurements were saved: %(values)s.") % {"values": "; ".join(parts)}
