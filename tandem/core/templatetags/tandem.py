"""Small template helpers."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    """Look a key up in a dict: ``{{ children|get_item:change.child_id }}``."""
    return mapping.get(key) if mapping else None
