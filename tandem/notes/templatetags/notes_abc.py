"""The child's ABC records on the child's record page (clinical staff only).

A tag, so the children app does not import notes (notes builds on children)."""

from typing import Any

from django import template

from tandem.notes import abc

register = template.Library()


@register.inclusion_tag("children/_abc_records.html", takes_context=True)
def child_abc_records(context: template.Context, child: Any) -> dict[str, Any]:
    """The latest ABC records the reader may see (none for families, teachers, office)."""
    membership = context["request"].membership
    return {"child": child, "abc_records": abc.of_child(membership, child)}
