"""Notifications in words, in the reader's language (rendered when read, not when raised)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from .models import Kind, Notification


@dataclass
class Words:
    title: str
    text: str


def _child_name(notification: Notification, for_email: bool) -> str:
    child = notification.child
    if child is None:
        return ""
    # An email leaves the clinic's system: use the first name only.
    return (child.preferred_name or child.first_name) if for_email else child.display_name


def describe(notification: Notification, *, for_email: bool = False) -> Words:
    """The title and a sentence for a notification, in the active language.

    Emails (``for_email``) name a child by first name only, and only to the family.
    """
    kind = notification.kind
    # Emails to professionals never name a child or say what happened: they sign in.
    if for_email and notification.recipient.is_staff_member:
        return Words(
            _("Something new for you in Tandem"),
            _("A colleague or a family has shared something with you. Sign in to read it."),
        )
    name = _child_name(notification, for_email)
    actor = notification.actor_name
    if kind == Kind.NEW_MESSAGE:
        return Words(
            _("New message about %(child)s") % {"child": name},
            _("%(person)s wrote in the conversation about %(child)s.")
            % {"person": actor, "child": name}
            if actor
            else _("There is a new message about %(child)s.") % {"child": name},
        )
    if kind == Kind.NEW_REPORT:
        return Words(
            _("A new report for %(child)s") % {"child": name},
            _("“%(report)s” is ready to read.") % {"report": notification.detail}
            if notification.detail
            else _("A new report is ready to read."),
        )
    if kind == Kind.CHECKIN_DUE:
        return Words(
            _("Time for a short check-in about %(child)s") % {"child": name},
            _("Tell the team how things are going. It takes about two minutes."),
        )
    if kind == Kind.PRACTICE_REMINDER:
        return Words(
            _("A little practice today?"),
            _(
                "The home activities for %(children)s are ready when you are. "
                "Even a few minutes helps."
            )
            % {"children": notification.detail}
            if notification.detail
            else _("Your home activities are ready when you are. Even a few minutes helps."),
        )
    if kind == Kind.APPOINTMENT_REMINDER:
        return Words(
            _("%(child)s's session: %(when)s") % {"child": name, "when": notification.detail}
            if notification.detail
            else _("A session coming up for %(child)s") % {"child": name},
            _("Open the link to confirm, or to cancel if you cannot come."),
        )
    if kind == Kind.TIMES_OFFERED:
        return Words(
            _("Times offered for %(child)s") % {"child": name},
            _("The clinic offers a few times for a session. Choose the one that suits you."),
        )
    if kind == Kind.GROUP_INVITATION:
        return Words(
            _("%(child)s is invited to “%(group)s”") % {"child": name, "group": notification.detail}
            if notification.detail
            else _("%(child)s is invited to a group") % {"child": name},
            _("Read what the group does and tell the team whether %(child)s may join.")
            % {"child": name},
        )
    if kind == Kind.HANDOFF:
        return Words(
            _("Hand-off about %(child)s") % {"child": name},
            _("%(person)s sent you an SBAR hand-off.") % {"person": actor},
        )
    if kind == Kind.CHECKIN_ANSWERED:
        return Words(
            _("Check-in answered for %(child)s") % {"child": name},
            _("%(person)s answered the family check-in.") % {"person": actor},
        )
    if kind == Kind.CHECKIN_FLAG:
        return Words(
            _("%(person)s may need some support") % {"person": actor},
            _(
                "In the check-in about %(child)s they said they are finding things hard. "
                "Consider reaching out soon."
            )
            % {"child": name},
        )
    if kind == Kind.WORKSHOP_PLACE:
        return Words(
            _("You have a place at “%(event)s”") % {"event": notification.detail},
            _(
                "A place became free and it is yours now. If you can't come after all, "
                "give it up on the workshops page so the next family can have it."
            ),
        )
    if kind == Kind.COSIGN_NEEDED:
        return Words(
            _("A note to co-sign for %(child)s") % {"child": name},
            _("%(person)s signed a session note that waits for your co-signature.")
            % {"person": actor},
        )
    if kind == Kind.EMERGENCY_ACCESS:
        # ``detail``: the access's end (an ISO instant) and its reason (tandem.breakglass).
        until, _space, reason = notification.detail.partition(" ")
        end = parse_datetime(until)
        return Words(
            _("Emergency access to %(child)s's record") % {"child": name},
            _("%(person)s, who is not on the care team, opened it until %(until)s: “%(reason)s”")
            % {
                "person": actor,
                "until": time_format(timezone.localtime(end), "H:i") if end else "",
                "reason": reason,
            },
        )
    if kind == Kind.QUESTIONNAIRE_ASKED:
        return Words(
            _("A questionnaire about %(child)s to fill") % {"child": name},
            _(
                "The team asks you to answer a few questions about %(child)s before the "
                "evaluation. You can save your answers and finish later."
            )
            % {"child": name},
        )
    if kind == Kind.RECORD_READY:
        return Words(
            _("%(child)s's full record is ready") % {"child": name},
            _("The copy you asked for is ready to download for 7 days."),
        )
    if kind == Kind.NOTE_RETURNED:
        return Words(
            _("Your note about %(child)s was sent back") % {"child": name},
            _("%(person)s asked for changes: %(comment)s")
            % {"person": actor, "comment": notification.detail},
        )
    return Words(notification.get_kind_display(), "")
