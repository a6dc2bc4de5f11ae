"""Communication: a message in a child's conversation between the family and the care
team (``tandem.messaging`` Message), read under ``messaging.view`` through
``Message.objects.visible_to`` (the team and the child's guardians). Attachments are
not served (they are read on the conversation's page)."""

from typing import Any

from tandem.accounts.models import STAFF_ROLES, Membership
from tandem.messaging.models import Message

from ..base import COMMON, Context, Spec, concept, instant, meta, ref
from ..search import Param

CATEGORY = "urn:tandem:communication-category"


def rows(membership: Membership, child_ids: list[Any] | None) -> Any:
    return (
        Message.objects.visible_to(membership)
        .filter(child_id__in=child_ids or [])
        .select_related("author__user")
    )


def render(message: Message, ctx: Context) -> dict[str, Any]:
    author = message.author
    sender = (
        ref("Practitioner", author.pk, author.display_name)
        if author.role in STAFF_ROLES and not message.from_family
        else {"display": author.display_name}
    )
    side = "family" if message.from_family else "care-team"
    resource: dict[str, Any] = {
        "resourceType": "Communication",
        "id": str(message.pk),
        "meta": meta(message),
        "status": "completed",
        "category": [
            concept(CATEGORY, side, "From the family" if message.from_family else "From the team")
        ],
        "subject": ref("Patient", message.child_id),
        "sent": instant(message.created_at),
        "sender": sender,
    }
    if message.body:
        resource["payload"] = [{"contentString": message.body}]
    return resource


SPEC = Spec(
    type="Communication",
    actions=("messaging.view",),
    rows=rows,
    render=render,
    params=COMMON
    | {
        "patient": Param("reference", "child_id"),
        "subject": Param("reference", "child_id"),
        "sent": Param("date", "created_at", instant=True),
        "category": Param("token", "from_family", codes={"family": True, "care-team": False}),
    },
    order=("child_id", "created_at", "id"),
)
