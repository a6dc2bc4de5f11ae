"""The child's record as FHIR R4: a Bundle (``collection``) of what the guardian may read.

Every resource type the FHIR API serves (``tandem.fhir.registry.SPECS``, iterated: a
type added there is in the record too) is read *as the guardian*, with the scopes the
API gives them (``patient/*.read``) and the access kernel's answer for the child, through
the type's own reader and mapper: no rule is copied here. The clinic's records that name
no child (the organization, its staff) are in only as far as the child's resources
point at them, and the organization itself.
"""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.http import QueryDict

from tandem.access import allows
from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core import clock
from tandem.fhir.auth import Caller, scopes_for
from tandem.fhir.base import Context, Spec, instant
from tandem.fhir.registry import SPECS

BATCH = 200  # rows read at a time, whatever the type's size


def _rows(spec: Spec, rows: Any, context: Context) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        page = spec.page(rows, spec.order, offset, BATCH, QueryDict())
        for item in page.items:
            yield spec.render(item, context)
        offset += BATCH
        if offset >= page.total or not page.items:
            return


def _references(value: Any) -> Iterator[str]:
    """Every ``reference`` in a resource ("Practitioner/…")."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "reference" and isinstance(inner, str):
                yield inner
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def resources_of(membership: Membership, child: Child) -> list[dict[str, Any]]:
    """The resources about the child this member may read, in the registry's order."""
    caller = Caller(membership, scopes_for(membership))
    context = Context(membership=membership, clinical=membership.is_staff_member)
    about: list[dict[str, Any]] = []
    clinic: list[tuple[Spec, Any]] = []
    for spec in SPECS.values():
        if not caller.may_read(spec.type):
            continue
        if spec.actions is None:  # the clinic's records: kept for what the child's name
            clinic.append((spec, spec.rows(membership, None)))
        elif any(allows(membership, action, child=child) for action in spec.actions):
            about.extend(_rows(spec, spec.rows(membership, [child.pk]), context))
    named = {ref for resource in about for ref in _references(resource)}
    named.add(f"Organization/{child.organization_id}")
    others = [
        resource
        for spec, rows in clinic
        for resource in _rows(spec, rows, context)
        if f"{resource['resourceType']}/{resource['id']}" in named
    ]
    return about + others


def record_bundle(membership: Membership, child: Child) -> dict[str, Any]:
    base = f"{settings.SITE_URL}/fhir/R4/"
    entries = [
        {"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r}
        for r in resources_of(membership, child)
    ]
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(clock.now()),
    }
    if entries:
        bundle["entry"] = entries
    return bundle
