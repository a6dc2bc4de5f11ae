"""The shipped parent questionnaires (FHIR R4 Questionnaire resources) and their validation.

Definitions live in ``data/questionnaires/<slug>.json``. Answers are kept as a flat
``{linkId: value}`` object: a string, a boolean, a number, an ISO date, an option's
code, or a list of codes when the question ``repeats``. Integer bounds come from the
core FHIR ``minValue``/``maxValue`` extensions.
"""

import copy
import json
import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

DATA = Path(__file__).parent / "data" / "questionnaires"

ITEM_TYPES = {
    "group",
    "display",
    "boolean",
    "decimal",
    "integer",
    "date",
    "string",
    "text",
    "choice",
    "open-choice",
}
NO_ANSWER_TYPES = {"group", "display"}
STATUSES = {"draft", "active", "retired", "unknown"}
# A fallback cap so a free-text answer cannot grow without bound; items may set maxLength.
MAX_LENGTH = {"string": 500, "text": 5000, "open-choice": 500}
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def available() -> tuple[str, ...]:
    """Return the slugs of the shipped questionnaires."""
    return tuple(sorted(path.stem for path in DATA.glob("*.json")))


def load(slug: str) -> dict[str, Any]:
    """Return the Questionnaire resource ``slug``; LookupError when there is no such one."""
    return copy.deepcopy(_read(slug))


@cache
def _read(slug: str) -> dict[str, Any]:
    if not _SLUG.match(slug) or slug not in available():
        raise LookupError(f"There is no questionnaire {slug!r}.")
    definition: dict[str, Any] = json.loads((DATA / f"{slug}.json").read_text(encoding="utf-8"))
    problems = check_definition(definition)
    if problems:
        raise ValueError(f"Questionnaire {slug!r} is malformed: {'; '.join(problems)}")
    return definition


TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def localize(definition: dict[str, Any], language: str) -> dict[str, Any]:
    """A copy of ``definition`` whose texts are in ``language`` where it carries them.

    Translations are FHIR's: a ``_text`` (``_title``, ``_display``…) element beside the
    text, with a ``translation`` extension per language (``lang`` and ``content``). A
    text without one for the language stays as written.
    """
    language = (language or "").split("-")[0].lower()
    return _localized(copy.deepcopy(definition), language)


def _localized(node: Any, language: str) -> Any:
    if isinstance(node, list):
        return [_localized(value, language) for value in node]
    if not isinstance(node, dict):
        return node
    for key in [k for k in node if not k.startswith("_")]:
        node[key] = _localized(node[key], language)
        translated = _translation(node.get(f"_{key}"), language)
        if translated is not None and isinstance(node[key], str):
            node[key] = translated
    return node


def _translation(element: Any, language: str) -> str | None:
    if not isinstance(element, dict):
        return None
    for ext in element.get("extension", []) or []:
        if ext.get("url") != TRANSLATION:
            continue
        parts = {p.get("url"): p for p in ext.get("extension", []) or []}
        lang = str(parts.get("lang", {}).get("valueCode", "")).split("-")[0].lower()
        if lang == language and parts.get("content", {}).get("valueString"):
            return str(parts["content"]["valueString"])
    return None


def questions(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item that takes an answer, in order, groups flattened."""
    found: list[dict[str, Any]] = []
    for item in definition.get("item", []) or []:
        if item.get("type") not in NO_ANSWER_TYPES:
            found.append(item)
        found.extend(questions(item))
    return found


def bounds(item: dict[str, Any]) -> tuple[float | None, float | None]:
    """The (min, max) allowed for a number, from the minValue/maxValue extensions."""
    low = high = None
    for ext in item.get("extension", []) or []:
        url = str(ext.get("url", ""))
        value = ext.get("valueInteger", ext.get("valueDecimal"))
        if url.endswith("minValue"):
            low = value
        elif url.endswith("maxValue"):
            high = value
    return low, high


def option_codes(item: dict[str, Any]) -> list[str]:
    """The codes an answer may take, as strings, from ``answerOption``."""
    codes = []
    for option in item.get("answerOption", []) or []:
        if "valueCoding" in option:
            codes.append(str(option["valueCoding"].get("code")))
        elif "valueString" in option:
            codes.append(str(option["valueString"]))
        elif "valueInteger" in option:
            codes.append(str(option["valueInteger"]))
    return codes


def validate(
    definition: dict[str, Any], answers: dict[str, Any], *, require_all: bool = False
) -> dict[str, str]:
    """Return one message per linkId whose answer is not acceptable; empty when all are.

    With ``require_all`` (a completed response) a required question left blank is
    also reported; an in-progress response may leave anything blank.
    """
    items = {item["linkId"]: item for item in _all_items(definition.get("item", []))}
    problems: dict[str, str] = {}
    for link_id, value in answers.items():
        item = items.get(link_id)
        if item is None:
            problems[link_id] = _("This is not a question of this questionnaire.")
        elif item.get("type") in NO_ANSWER_TYPES:
            problems[link_id] = _("This item takes no answer.")
        elif not _is_blank(value):
            message = _check(item, value)
            if message:
                problems[link_id] = message
    if require_all:
        for item in questions(definition):
            link_id = item["linkId"]
            if item.get("required") and _is_blank(answers.get(link_id)):
                problems.setdefault(link_id, _("This question needs an answer."))
    return problems


def check_definition(definition: dict[str, Any]) -> list[str]:
    """List what keeps a definition from being a usable FHIR R4 Questionnaire."""
    problems = []
    if definition.get("resourceType") != "Questionnaire":
        problems.append("resourceType is not Questionnaire")
    for key in ("url", "name", "title"):
        if not definition.get(key):
            problems.append(f"{key} is missing")
    if definition.get("status") not in STATUSES:
        problems.append("status is not draft, active, retired or unknown")
    if not definition.get("item"):
        problems.append("there are no items")
    seen: set[str] = set()
    for item in _all_items(definition.get("item", []) or []):
        link_id, kind = item.get("linkId"), item.get("type")
        if not link_id or not isinstance(link_id, str):
            problems.append(f"an item has no linkId ({item.get('text', '')[:40]!r})")
            continue
        if link_id in seen:
            problems.append(f"linkId {link_id} is used twice")
        seen.add(link_id)
        if kind not in ITEM_TYPES:
            problems.append(f"{link_id} has an unknown type {kind!r}")
        if not item.get("text"):
            problems.append(f"{link_id} has no text")
        if kind == "group" and not item.get("item"):
            problems.append(f"group {link_id} has no items")
        if kind in NO_ANSWER_TYPES and (item.get("required") or item.get("repeats")):
            problems.append(f"{link_id} cannot be required or repeat")
        if kind == "choice" and not option_codes(item):
            problems.append(f"choice {link_id} has no answerOption")
        low, high = bounds(item)
        if low is not None and high is not None and low > high:
            problems.append(f"{link_id} has minValue above maxValue")
    return problems


def _all_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        found.append(item)
        found.extend(_all_items(item.get("item", []) or []))
    return found


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _check(item: dict[str, Any], value: Any) -> str | None:
    if item.get("repeats"):
        values = value if isinstance(value, list) else [value]
        if len({json.dumps(v, sort_keys=True) for v in values}) != len(values):
            return _("Each answer can be given only once.")
        for single in values:
            message = _check_one(item, single)
            if message:
                return message
        return None
    if isinstance(value, list):
        return _("Give one answer only.")
    return _check_one(item, value)


def _check_one(item: dict[str, Any], value: Any) -> str | None:
    kind = item.get("type")
    if kind == "boolean":
        return None if isinstance(value, bool) else _("Answer yes or no.")
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return _("Enter a whole number.")
        return _out_of_bounds(item, value)
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return _("Enter a number.")
        return _out_of_bounds(item, value)
    if kind == "date":
        return None if _is_date(value) else _("Enter a date as YYYY-MM-DD.")
    if kind == "choice":
        valid = isinstance(value, str | int) and not isinstance(value, bool)
        if not valid or str(value) not in option_codes(item):
            return _("Choose one of the options given.")
        return None
    # string, text and open-choice: free text (an open choice may also be one of its codes)
    if not isinstance(value, str):
        return _("Enter text.")
    limit = int(item.get("maxLength") or MAX_LENGTH.get(str(kind), 500))
    if len(value) > limit:
        return _("Keep this under %(limit)s characters.") % {"limit": limit}
    return None


def _out_of_bounds(item: dict[str, Any], value: float) -> str | None:
    low, high = bounds(item)
    if low is not None and high is not None and not low <= value <= high:
        return _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
    if low is not None and value < low:
        return _("Enter a number of at least %(low)s.") % {"low": low}
    if high is not None and value > high:
        return _("Enter a number of at most %(high)s.") % {"high": high}
    return None


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    parts = [int(p) for p in value.split("-")] + [1, 1]
    try:
        date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True
