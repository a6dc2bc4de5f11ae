"""Patient: a child (``tandem.children``), read through the access kernel's visible children."""

from typing import Any

from django.db.models import Prefetch

from tandem.access import visible_children
from tandem.accounts.models import Membership
from tandem.children.models import Child, Sex
from tandem.imports.access import identifiers_of

from ..base import COMMON, Context, Spec, identifier, meta, ref
from ..search import Param

GENDER: dict[str, str] = {Sex.FEMALE: "female", Sex.MALE: "male"}


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    children = visible_children(membership).filter(pk__in=child_ids or [], archived_at__isnull=True)
    # The identifiers other systems gave the child (tandem.imports), in one query.
    known = identifiers_of(membership).order_by("system", "value")
    return children.prefetch_related(Prefetch("identifiers", queryset=known))


def render(child: Child, ctx: Context) -> dict[str, Any]:
    names: list[dict[str, Any]] = [
        {"use": "official", "family": child.last_name, "given": [child.first_name]}
    ]
    if child.preferred_name:
        names.append({"use": "usual", "given": [child.preferred_name]})
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(child.pk),
        "meta": meta(child),
        "identifier": identifier(child.pk)
        + [{"system": i.system, "value": i.value} for i in child.identifiers.all()],
        "active": child.archived_at is None,
        "name": names,
        "birthDate": child.date_of_birth.isoformat(),
        "managingOrganization": ref("Organization", child.organization_id),
    }
    if child.sex in GENDER:
        resource["gender"] = GENDER[child.sex]
    languages = [
        code.strip() for code in (child.preferred_languages or "").split(",") if code.strip()
    ]
    if languages:
        resource["communication"] = [
            {"language": {"text": language}, "preferred": n == 0}
            for n, language in enumerate(languages)
        ]
    return resource


SPEC = Spec(
    type="Patient",
    actions=("children.view",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "birthdate": Param("date", "date_of_birth"),
        "gender": Param("token", "sex", codes={"female": Sex.FEMALE, "male": Sex.MALE}),
        "family": Param("token", "last_name__iexact"),
    },
    order=("last_name", "first_name", "id"),
    child_attr="pk",
)
