"""Which children a FHIR caller reads a resource type of: the access kernel's answer.

A type names the kernel actions that read it (``Spec.actions``: any one admits a child);
the children are the caller's visible ones (``tandem.access.visible_children``, one query
per request) that one of those actions allows. The rows are then the app's own reader's
(``Model.objects.visible_to`` …), narrowed to those children: no rule is copied here.
"""

from typing import Any

from tandem.access import allows, visible_children
from tandem.children.models import Child

from .auth import Caller
from .base import Spec

_CACHE = "_fhir_children"


def readable_children(caller: Caller, spec: Spec) -> list[Child]:
    """The caller's children whose record of this type they may read."""
    membership = caller.membership
    if not caller.may_read(spec.type) or spec.actions is None:
        return []
    cache: dict[Any, list[Child]] = membership.__dict__.setdefault(_CACHE, {})
    if "visible" not in cache:
        cache["visible"] = list(visible_children(membership).filter(archived_at__isnull=True))
    return [
        child
        for child in cache["visible"]
        if any(allows(membership, action, child=child) for action in spec.actions)
    ]


def rows_for(caller: Caller, spec: Spec) -> tuple[Any, dict[Any, Child]]:
    """The reader's rows of this type for the caller, and the children they may concern."""
    if spec.actions is None:
        rows = spec.rows(caller.membership, None)
        return (rows if caller.may_read(spec.type) else rows.none()), {}
    children = {child.pk: child for child in readable_children(caller, spec)}
    return spec.rows(caller.membership, list(children)), children
