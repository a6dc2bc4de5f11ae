"""Template context every page needs: who is signed in, as what, and which menus are theirs.

The menu entries come from the same rules as the pages they open (``allows``), so a
menu never offers a page that would answer 404.
"""

from typing import Any

from django.http import HttpRequest

from tandem.accounts.models import Role

from .registry import allows

OFFICE_ROLES = frozenset({Role.FRONT_DESK, Role.BILLING})


def membership(request: HttpRequest) -> dict[str, Any]:
    member = getattr(request, "membership", None)
    return {
        "membership": member,
        "organization": member.organization if member else None,
        "is_staff_member": bool(member and member.is_staff_member),
        "is_admin": bool(member and member.is_admin),
        "is_guardian": bool(member and member.is_guardian),
        # The front desk and billing: the clinic's office (no clinical pages).
        "is_office": bool(member and member.role in OFFICE_ROLES),
        "may_see_caseload": bool(member and allows(member, "children.caseload")),
        "may_see_today": bool(member and allows(member, "today.view")),
        # Licensed therapists co-sign their assistants' notes (the queue in the menu).
        "may_cosign": bool(member and member.role == Role.THERAPIST and not member.is_assistant),
        # Break-glass: therapists open a record in an emergency, admins review (no query).
        "may_break_glass": bool(member and allows(member, "emergency.open")),
        "may_review_emergency": bool(member and allows(member, "emergency.review")),
    }
