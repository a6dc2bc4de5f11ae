"""Starting and leaving child mode, and recording what the child picked."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.audit.actions import log_access
from tandem.children.models import Child
from tandem.core import clock

from . import lock
from .access import home_activity
from .models import ChildChoice, ChoiceSource
from .reading import interests


def enter(request: HttpRequest, child: Child, adult: Membership) -> None:
    """Lock the session to the child's child mode; the access log shows who opened it."""
    lock.lock(request, child, adult)
    log_access(request, [child], route="childmode:enter")


def leave(request: HttpRequest, child: Child) -> None:
    """End child mode (the adult's password was checked); logged like entering."""
    lock.unlock(request)
    log_access(request, [child], route="childmode:exit")


def _board_label(
    membership: Membership,
    child: Child,
    source: str,
    label: str,
    home_activity_id: uuid.UUID | None,
) -> str:
    """The label of a choice-board item, or ValidationError if it is not on the board."""
    if source == ChoiceSource.HOME_ACTIVITY:
        if home_activity_id is None:
            raise ValidationError({"home_activity_id": _("Choose one of the home activities.")})
        return str(home_activity(membership, child, home_activity_id).title)[:200]
    if source == ChoiceSource.INTEREST:
        for item in interests(child):
            if item.casefold() == (label or "").strip().casefold():
                return item
        raise ValidationError({"label": _("Choose one of the things on the board.")})
    raise ValidationError({"source": _("Choose one of the things on the board.")})


@transaction.atomic
def record_choice(
    membership: Membership,
    child: Child,
    *,
    source: str,
    label: str = "",
    home_activity_id: uuid.UUID | None = None,
    at: datetime.datetime | None = None,
) -> ChildChoice:
    """Record the child's pick from their board (only items on the board are accepted)."""
    text = _board_label(membership, child, source, label, home_activity_id)
    choice = ChildChoice(
        organization_id=child.organization_id,
        child=child,
        label=text,
        source=source,
        home_activity_id=home_activity_id if source == ChoiceSource.HOME_ACTIVITY else None,
        during_session_of=membership,
        chosen_at=at or clock.now(),
    )
    choice.full_clean(
        exclude=["child", "organization", "during_session_of"],
        validate_unique=False,
        validate_constraints=False,
    )
    choice.save(at=at)
    return choice
