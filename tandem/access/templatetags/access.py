"""``{% allows "notes.sign" obj=note as can_sign %}``: the kernel's answer in a template.

The same check as the views and the API (``tandem.access.allows``), for showing a
button only to those whose click would be accepted.
"""

from typing import Any

from django import template

from tandem.access.registry import allows as kernel_allows

register = template.Library()


@register.simple_tag(takes_context=True)
def allows(context: dict[str, Any], action: str, obj: Any = None, child: Any = None) -> bool:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    return kernel_allows(membership, action, child=child, obj=obj)
