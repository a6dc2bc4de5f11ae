"""Read-side helpers for the Assessments pages and API: the shipped definitions
(questionnaires, milestones, instruments) turned into what templates and schemas show.

The pure modules (``milestones``, ``questionnaires``) do the clinical work; this module
only adapts their results to pages and forms. Growth measurements: ``reading_growth``.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from tandem.children.models import Child

from .models import MilestoneAnswer, MilestoneCheck, QuestionnaireResponse

# The pure modules are imported where used: they load their data files on first use.


def _lib(name: str) -> Any:
    import importlib

    return importlib.import_module(f"tandem.assessments.{name}")


# --- Questionnaires ------------------------------------------------------------

QUESTIONNAIRES = ("parent_intake", "psc17", "sensory_behaviour")


def questionnaire_definition(slug: str, language: str = "") -> dict[str, Any] | None:
    """The questionnaire ``slug``, its texts in ``language`` where it has them."""
    if slug not in QUESTIONNAIRES:
        return None
    definition: dict[str, Any] = _lib("questionnaires").load(slug)
    if language:
        definition = _lib("questionnaires").localize(definition, language)
    return definition


def questionnaire_choices() -> list[tuple[str, str]]:
    """(slug, title) of the questionnaires a family may be asked to fill."""
    titles = [
        (slug, (questionnaire_definition(slug) or {}).get("title", slug)) for slug in QUESTIONNAIRES
    ]
    return sorted(titles, key=lambda pair: str(pair[1]))


def _questions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        if item.get("type") in ("group", "display"):
            found.extend(_questions(item.get("item", [])))
        else:
            found.append(item)
    return found


def _options(item: dict[str, Any]) -> list[tuple[str, str]]:
    options = []
    for option in item.get("answerOption", []):
        coding = option.get("valueCoding")
        if coding:
            options.append(
                (str(coding.get("code")), str(coding.get("display", coding.get("code"))))
            )
        elif "valueString" in option:
            options.append((option["valueString"], option["valueString"]))
        elif "valueInteger" in option:
            options.append((str(option["valueInteger"]), str(option["valueInteger"])))
    return options


def answers_from_post(definition: dict[str, Any], post: Any) -> dict[str, Any]:
    """Read submitted answers keyed by linkId; blanks are left out (the validator decides)."""
    answers: dict[str, Any] = {}
    for item in _questions(definition.get("item", [])):
        key = item["linkId"]
        if item.get("repeats"):
            values = [v for v in post.getlist(key) if v]
            if values:
                answers[key] = values
            continue
        value = post.get(key, "").strip()
        if value == "":
            continue
        kind = item.get("type")
        if kind == "boolean":
            answers[key] = {"true": True, "false": False}.get(value, value)
        elif kind in ("integer", "decimal"):
            try:
                answers[key] = int(value) if kind == "integer" else float(value)
            except ValueError:
                answers[key] = value  # the validator explains what is wrong
        else:
            answers[key] = value
    return answers


def questionnaire_sections(
    definition: dict[str, Any], answers: dict[str, Any], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    """Sections (top-level groups) with each question's widget, current answer and errors."""
    sections = []
    loose: list[dict[str, Any]] = []
    for item in definition.get("item", []):
        if item.get("type") == "group":
            sections.append(
                {
                    "title": item.get("text", ""),
                    "questions": [
                        _question(q, answers, errors) for q in _questions(item.get("item", []))
                    ],
                }
            )
        elif item.get("type") != "display":
            loose.append(_question(item, answers, errors))
    if loose:
        sections.insert(0, {"title": "", "questions": loose})
    return sections


def _question(
    item: dict[str, Any], answers: dict[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    key = item["linkId"]
    kind = item.get("type", "string")
    options = _options(item)
    widget = {
        "text": "textarea",
        "string": "text",
        "boolean": "yesno",
        "integer": "number",
        "decimal": "number",
        "date": "date",
    }.get(kind, "text")
    if options:
        widget = "checkboxes" if item.get("repeats") else "radios"
    if kind == "boolean":
        options = [("true", _("Yes")), ("false", _("No"))]
    value = answers.get(key)
    chosen = value if isinstance(value, list) else ([] if value is None else [value])
    chosen = ["true" if v is True else "false" if v is False else str(v) for v in chosen]
    scale = _scale(item)
    if scale:
        widget = "radios"
        options = scale
    return {
        "id": key,
        "prefix": item.get("prefix", ""),
        "text": item.get("text", key),
        "help": item.get("helpText", "") or _help(item),
        "widget": widget,
        "required": bool(item.get("required")),
        "options": options,
        "value": "" if value is None or isinstance(value, list) else value,
        "chosen": chosen,
        "errors": errors.get(key, []),
    }


def _help(item: dict[str, Any]) -> str:
    for ext in item.get("extension", []) or []:
        if str(ext.get("url", "")).endswith("help") and "valueString" in ext:
            return str(ext["valueString"])
    return ""


def _scale(item: dict[str, Any]) -> list[tuple[str, str]]:
    """A 1–5 style integer scale, if the definition gives its bounds."""
    if item.get("type") != "integer":
        return []
    low = high = None
    for ext in item.get("extension", []) or []:
        url = str(ext.get("url", ""))
        if url.endswith("minValue"):
            low = ext.get("valueInteger")
        if url.endswith("maxValue"):
            high = ext.get("valueInteger")
    if low is None or high is None or high - low > 10:
        return []
    return [(str(n), str(n)) for n in range(low, high + 1)]


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"]) if code else ""
    except KeyError:
        return code


def questionnaire_rows(
    responses: list[QuestionnaireResponse], language: str = ""
) -> list[dict[str, Any]]:
    """Responses as (question text, answer text) rows for the summary."""
    described = []
    for response in responses:
        definition = questionnaire_definition(response.questionnaire, language) or {}
        rows = []
        for item in _questions(definition.get("item", [])):
            if item["linkId"] not in response.answers:
                continue
            value = response.answers[item["linkId"]]
            labels = dict(_options(item))
            values = value if isinstance(value, list) else [value]
            shown = []
            for v in values:
                if v is True or v is False:
                    shown.append(_("Yes") if v else _("No"))
                else:
                    shown.append(labels.get(str(v), str(v)))
            rows.append({"text": item.get("text", item["linkId"]), "answer": ", ".join(shown)})
        completed = response.status == "completed"
        described.append(
            {
                "title": definition.get("title", response.questionnaire),
                "status": response.get_status_display(),
                "completed": completed,
                "rows": rows,
                "for_family": response.for_family,
                # The language the family answered in, named in the reader's language.
                "language": _language_name(response.language) if response.for_family else "",
                "scales": _lib("scoring").score(response.questionnaire, response.answers)
                if completed
                else None,
            }
        )
    return described


# --- Milestones ----------------------------------------------------------------

# Lazy: read when a page is drawn, in the reader's language.
DOMAIN_LABELS = {
    "social_emotional": gettext_lazy("Social / emotional"),
    "language_communication": gettext_lazy("Language / communication"),
    "cognitive": gettext_lazy("Cognitive (learning, thinking, problem-solving)"),
    "movement_physical": gettext_lazy("Movement / physical development"),
}


@dataclass
class ChecklistPick:
    months: int
    corrected: bool
    age_months: int
    items: list[dict[str, Any]] = field(default_factory=list)


def checklist_for(child: Child, on: date) -> ChecklistPick:
    """The checklist for the child's age on a day (corrected age under two when preterm)."""
    pick = _lib("milestones").checklist_for(child.date_of_birth, on, child.gestational_age_weeks)
    return ChecklistPick(
        months=pick.months,
        corrected=pick.corrected,
        age_months=pick.age_months,
        items=list(pick.milestones),
    )


def checklist_domains(
    pick: ChecklistPick, answers: dict[str, str], errors: dict[str, list[str]]
) -> list[dict[str, Any]]:
    domains: dict[str, list[dict[str, Any]]] = {key: [] for key in DOMAIN_LABELS}
    for item in pick.items:
        domains.setdefault(item["domain"], []).append(
            {**item, "answer": answers.get(item["id"], ""), "errors": errors.get(item["id"], [])}
        )
    return [
        {"key": key, "label": DOMAIN_LABELS.get(key, key), "items": items}
        for key, items in domains.items()
        if items
    ]


def not_yet_summary(pick: ChecklistPick, answers: dict[str, str]) -> dict[str, Any]:
    rows = []
    for domain in checklist_domains(pick, answers, {}):
        rows.append(
            {
                "label": domain["label"],
                "not_yet": [
                    i["text"] for i in domain["items"] if i["answer"] == MilestoneAnswer.NOT_YET
                ],
                "not_sure": [
                    i["text"] for i in domain["items"] if i["answer"] == MilestoneAnswer.NOT_SURE
                ],
            }
        )
    return {
        "domains": rows,
        "total_not_yet": sum(len(r["not_yet"]) for r in rows),
        "unanswered": sum(1 for i in pick.items if not answers.get(i["id"])),
    }


def milestone_summary(check: MilestoneCheck) -> dict[str, Any]:
    items = _lib("milestones").checklist(check.checklist_months) or []
    pick = ChecklistPick(
        check.checklist_months, check.corrected_age, check.checklist_months, list(items)
    )
    return not_yet_summary(pick, check.answers)


# --- Shipped catalogues used by the actions --------------------------------------


def validate_answers(
    definition: dict[str, Any], answers: dict[str, Any], *, require_all: bool
) -> dict[str, Any]:
    """Return the answers if the definition accepts them, else raise ValidationError by linkId."""
    from django.core.exceptions import ValidationError

    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Answers are an object keyed by linkId.")})
    problems = _lib("questionnaires").validate(definition, answers, require_all=require_all)
    if problems:
        raise ValidationError({key: [str(m)] for key, m in problems.items()})
    return dict(answers)


def milestone_ids(months: int) -> set[str] | None:
    items = _lib("milestones").checklist(months)
    return None if items is None else {item["id"] for item in items}


def shipped_instruments() -> list[dict[str, Any]]:
    """The instrument catalogue shipped in data/instruments.json, as Instrument fields."""
    import json
    from pathlib import Path

    raw = json.loads((Path(__file__).parent / "data" / "instruments.json").read_text())
    items = raw.get("instruments", raw) if isinstance(raw, dict) else raw
    fields = {
        "code",
        "name",
        "disciplines",
        "min_age_months",
        "max_age_months",
        "score_mean",
        "score_sd",
        "subtests",
    }
    return [{k: v for k, v in item.items() if k in fields} for item in items]
