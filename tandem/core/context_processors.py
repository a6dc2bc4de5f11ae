"""Template context every page needs: who is signed in, as what."""

from django.http import HttpRequest


def membership(request: HttpRequest) -> dict:
    member = getattr(request, "membership", None)
    return {
        "membership": member,
        "organization": member.organization if member else None,
        "is_staff_member": bool(member and member.is_staff_member),
        "is_admin": bool(member and member.is_admin),
        "is_guardian": bool(member and member.is_guardian),
        # Licensed therapists co-sign their assistants' notes (the queue in the menu).
        "may_cosign": bool(member and member.role == "therapist" and not member.is_assistant),
    }
