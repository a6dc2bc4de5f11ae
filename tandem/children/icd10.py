"""The shipped list of ICD-10-CM codes common in pediatric therapy (data/icd10_pediatric.json).

The list is a convenience for the profile form, not a coding authority: a diagnosis
outside it can still be recorded through the API with its own label.
"""

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "icd10_pediatric.json"


@cache
def pediatric_codes() -> tuple[dict[str, str], ...]:
    """Every shipped code as ``{"code": …, "label": …}``, in code order."""
    codes = json.loads(DATA.read_text(encoding="utf-8"))["codes"]
    return tuple(sorted(({"code": c["code"], "label": c["label"]} for c in codes), key=_order))


def label_for(code: str) -> str | None:
    """The official description of a shipped code, or None when the code is not in the list."""
    return _labels().get(code.strip().upper())


@cache
def _labels() -> dict[str, str]:
    return {entry["code"]: entry["label"] for entry in pediatric_codes()}


def _order(entry: dict[str, str]) -> tuple[str, str]:
    letter, _dot, rest = entry["code"].partition(".")
    return (letter, rest)
