"""Questionnaire and QuestionnaireResponse (``tandem.assessments``).

Questionnaires are the definitions Tandem ships (PSC-17, the parent intake, the sensory
behaviour questionnaire: ``assessments.reading.QUESTIONNAIRES``), already FHIR
Questionnaires, with their Spanish texts as the standard translation extension. Every
caller whose scopes cover the type reads them (they are no one's record). A definition's
id is its own (``psc-17``), not its file's name.

A QuestionnaireResponse is one evaluation's answers to one questionnaire, read under
``assessments.view`` (the child's team) through ``QuestionnaireResponse.objects.visible_to``;
its items mirror the questionnaire's groups and each answer takes the item's type.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import QueryDict

from tandem.accounts.access import own_organization
from tandem.accounts.models import STAFF_ROLES, Membership, Role
from tandem.assessments.models import QuestionnaireResponse, ResponseStatus
from tandem.assessments.reading import QUESTIONNAIRES, questionnaire_definition

from ..base import COMMON, Context, Page, Spec, instant, meta, ref
from ..search import Param


def definitions() -> dict[str, dict[str, Any]]:
    """The shipped questionnaires by their FHIR id."""
    found = {}
    for slug in QUESTIONNAIRES:
        definition = questionnaire_definition(slug)
        if definition is not None:
            found[str(definition["id"])] = definition
    return found


def _definition_rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return own_organization(membership)  # the caller's clinic: none when out of scope


def _wanted(params: QueryDict) -> list[dict[str, Any]]:
    found = list(definitions().values())
    for name, key in (("_id", "id"), ("url", "url"), ("status", "status"), ("name", "name")):
        for value in params.getlist(name):
            codes = {code.split("|", 1)[0] if name == "url" else code for code in value.split(",")}
            found = [d for d in found if str(d.get(key)) in codes]
    return sorted(found, key=lambda d: str(d["id"]))


def _definition_page(
    rows: QuerySet[Any], order: tuple[str, ...], offset: int, count: int, params: QueryDict
) -> Page:
    if not rows.exists():
        return Page(0, [])
    found = _wanted(params)
    return Page(len(found), found[offset : offset + count])


def _definition_fetch(rows: QuerySet[Any], resource_id: str) -> Any:
    found = definitions().get(resource_id)
    return found if found is not None and rows.exists() else None


def _plain_extensions(node: Any) -> Any:
    """The definition without translations of extensions' own values (``_valueString`` in
    an extension, e.g. an item's ``entryFormat`` in Spanish): valid R4, but the
    fhir.resources models, which many clients use, refuse them; the texts themselves keep
    their translations."""
    if isinstance(node, list):
        return [_plain_extensions(one) for one in node]
    if not isinstance(node, dict):
        return node
    is_extension = "url" in node and any(key.startswith("value") for key in node)
    return {
        key: _plain_extensions(value)
        for key, value in node.items()
        if not (is_extension and key.startswith("_value"))
    }


def _render_definition(definition: dict[str, Any], ctx: Context) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": definition["id"],
        "meta": {"lastUpdated": f"{definition['date']}T00:00:00Z"},
        **{
            k: _plain_extensions(v)
            for k, v in definition.items()
            if k not in ("resourceType", "id", "meta")
        },
    }


def _any(value: str) -> Q:
    return Q()


QUESTIONNAIRE_SPEC = Spec(
    type="Questionnaire",
    actions=None,
    rows=_definition_rows,
    render=_render_definition,
    params={
        "_id": Param("token", "pk", custom=_any),
        "url": Param("token", "pk", custom=_any, declared="uri"),
        "status": Param("token", "pk", custom=_any),
        "name": Param("token", "pk", custom=_any, declared="string"),
    },
    child_attr=None,
    page=_definition_page,
    fetch=_definition_fetch,
    roles=frozenset(Role.values),
    fixed_ids=lambda: sorted(definitions()),
)


# --- QuestionnaireResponse ------------------------------------------------------------


def _response_rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        QuestionnaireResponse.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [])
        .select_related("author__user")
    )


def _option(item: dict[str, Any], value: Any) -> dict[str, Any]:
    for option in item.get("answerOption", []) or []:
        coding = option.get("valueCoding")
        if coding is not None and str(coding.get("code")) == str(value):
            return {"valueCoding": {k: v for k, v in coding.items() if not k.startswith("_")}}
        if "valueInteger" in option and str(option["valueInteger"]) == str(value):
            return {"valueInteger": option["valueInteger"]}
        if "valueString" in option and option["valueString"] == value:
            return {"valueString": value}
    return {"valueString": str(value)}


def _answer(item: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = item.get("type")
    if kind == "boolean":
        return {"valueBoolean": bool(value)}
    if kind == "integer":
        return {"valueInteger": int(value)}
    if kind == "decimal":
        return {"valueDecimal": float(value)}
    if kind == "date":
        return {"valueDate": str(value)}
    if kind in ("choice", "open-choice"):
        return _option(item, value)
    return {"valueString": str(value)}


def _items(items: list[dict[str, Any]], answers: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        entry: dict[str, Any] = {"linkId": item["linkId"]}
        if item.get("text"):
            entry["text"] = item["text"]
        if item.get("type") == "group":
            inner = _items(item.get("item", []) or [], answers)
            if inner:
                found.append(entry | {"item": inner})
            continue
        value = answers.get(item["linkId"])
        if value is None or value == "" or value == []:
            continue
        values = value if isinstance(value, list) else [value]
        found.append(entry | {"answer": [_answer(item, one) for one in values]})
    return found


def _render_response(response: QuestionnaireResponse, ctx: Context) -> dict[str, Any]:
    definition = ctx.once(
        f"questionnaire:{response.questionnaire}",
        lambda: questionnaire_definition(response.questionnaire),
    )
    author = response.author
    canonical = response.questionnaire_url or (definition or {}).get("url", "")
    version = response.questionnaire_version
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "meta": meta(response),
        "status": response.status,
        "subject": ref("Patient", response.child_id),
        "authored": instant(response.submitted_at or response.updated_at),
        "author": (
            ref("Practitioner", author.pk, author.display_name)
            if author.role in STAFF_ROLES
            else {"display": author.display_name}
        ),
    }
    if canonical:
        resource["questionnaire"] = f"{canonical}|{version}" if version else canonical
    if response.language:
        resource["language"] = response.language
    items = _items((definition or {}).get("item", []), response.answers or {})
    if items:
        resource["item"] = items
    return resource


def _questionnaire(value: str) -> Q:
    return Q(questionnaire_url=value.split("|", 1)[0])


RESPONSE_SPEC = Spec(
    type="QuestionnaireResponse",
    actions=("assessments.view",),
    rows=_response_rows,
    render=_render_response,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "status": Param("token", "status", codes={s.value: s.value for s in ResponseStatus}),
        "authored": Param("date", "submitted_at", instant=True),
        "questionnaire": Param("token", "pk", custom=_questionnaire, declared="reference"),
    },
    order=("child_id", "created_at", "id"),
)
