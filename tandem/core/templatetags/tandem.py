"""Small template helpers."""

import uuid
from typing import Any

from django import template
from django.utils.html import format_html

from tandem.core import idempotency

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    """Look a key up in a dict: ``{{ children|get_item:change.child_id }}``."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def idempotency_field() -> str:
    """A hidden field naming this submission of a form, so a resent form writes once."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', idempotency.FIELD, uuid.uuid4().hex
    )
