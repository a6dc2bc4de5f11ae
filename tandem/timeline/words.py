"""How each event reads: the team's one line, and the family's, in plain words.

A guardian's line never quotes a record's clinical text (a note's SOAP, a hand-off, a
goal's wording): it says what happened, who was there, and what it means for them
("Session with Ana (speech)", "Maya's plan was updated — you signed it").
"""

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.accounts.models import Discipline, Membership
from tandem.appointments.models import FAMILY_SERVICE, FAMILY_STATUS
from tandem.children.models import Child
from tandem.core import clock
from tandem.homeprogram.models import RecorderRole, Setting
from tandem.plans.models import PlanStatus

if TYPE_CHECKING:
    from .sources import Event

# The filters, in the order the page offers them, with their names.
KINDS = ("sessions", "observations", "appointments", "plans", "handoffs", "reports")
KIND_LABELS: dict[str, Promise] = {
    "sessions": gettext_lazy("Sessions"),
    "observations": gettext_lazy("Observations"),
    "appointments": gettext_lazy("Appointments"),
    "plans": gettext_lazy("Plans and signatures"),
    "handoffs": gettext_lazy("Hand-offs"),
    "reports": gettext_lazy("Reports"),
}
# A discipline as a family says it: "Session with Ana (speech)".
FAMILY_DISCIPLINE: dict[str, Promise] = {
    Discipline.OT: gettext_lazy("occupational therapy"),
    Discipline.PT: gettext_lazy("physical therapy"),
    Discipline.SLP: gettext_lazy("speech"),
    Discipline.BEHAVIORAL: gettext_lazy("behaviour"),
    Discipline.PLAY: gettext_lazy("play therapy"),
    Discipline.PSYCHOLOGY: gettext_lazy("psychology"),
    Discipline.OTHER: gettext_lazy("therapy"),
}
FAMILY_SETTING: dict[str, Promise] = {
    Setting.HOME: gettext_lazy("at home"),
    Setting.SCHOOL: gettext_lazy("from school"),
    Setting.COMMUNITY: gettext_lazy("from out and about"),
    Setting.OTHER: gettext_lazy("from somewhere else"),
}
REPORT_NAMES: dict[str, Promise] = {
    "progress.report": gettext_lazy("Progress report"),
    "progress.school_summary": gettext_lazy("Summary for school"),
    "progress.discharge": gettext_lazy("Discharge summary"),
    "assessments.summary": gettext_lazy("Evaluation summary"),
}


class Teller:
    """Says events for one member about one child."""

    def __init__(self, membership: Membership, child: Child) -> None:
        self.membership = membership
        self.child = child
        self.family = membership.is_guardian
        self.name = child.preferred_name or child.first_name

    def person(self, member: Membership | None) -> str:
        """A member's name: a family reads first names; the team, full names."""
        if member is None:
            return ""
        if member.pk == self.membership.pk:
            return _("You")
        if self.family:
            user = getattr(member, "user", None)
            return (getattr(user, "first_name", "") or member.display_name).strip()
        return member.display_name

    def event(
        self,
        kind: str,
        rank: int,
        at: Any,
        pk: Any,
        who: str,
        summary: str,
        url: str,
    ) -> "Event":
        from .sources import Event

        return Event(
            kind=kind,
            rank=rank,
            at=at,
            pk=pk,
            day=clock.local_now(None, at).date(),
            who=who,
            summary=summary,
            url=url,
        )


def _discipline(code: str, teller: Teller) -> str:
    if teller.family:
        return str(FAMILY_DISCIPLINE.get(code, FAMILY_DISCIPLINE[Discipline.OTHER]))
    return str(dict(Discipline.choices).get(code, code))


def note(teller: Teller, row: Any, rank: int) -> "Event":
    who = teller.person(row.author)
    discipline = _discipline(row.encounter.discipline or row.author.discipline, teller)
    if teller.family:
        summary = _("Session with %(who)s (%(discipline)s)") % {
            "who": who,
            "discipline": discipline,
        }
    else:
        summary = _("Signed session note: %(service)s, %(discipline)s") % {
            "service": row.get_service_type_display(),
            "discipline": discipline,
        }
    url = reverse("notes:detail", args=[teller.child.pk, row.pk])
    return teller.event("sessions", rank, row.signed_at, row.pk, who, summary, url)


def observation(teller: Teller, row: Any, rank: int) -> "Event":
    who = teller.person(row.recorded_by)
    where = str(FAMILY_SETTING.get(row.setting, ""))
    if teller.family:
        if row.recorded_by_id == teller.membership.pk:
            summary = _("You shared what you saw %(where)s") % {"where": where}
        elif row.recorder_role == RecorderRole.COLLABORATOR:
            summary = _("A teacher or another professional shared an observation %(where)s") % {
                "where": where
            }
        elif row.recorder_role == RecorderRole.FAMILY:
            summary = _("%(who)s shared what they saw %(where)s") % {"who": who, "where": where}
        else:
            summary = _("The team shared an observation %(where)s") % {"where": where}
    else:
        summary = _("%(setting)s: %(goal)s — %(independence)s") % {
            "setting": row.get_setting_display(),
            "goal": _short(row.goal.statement),
            "independence": row.get_independence_display(),
        }
    url = reverse("homeprogram:goal", args=[teller.child.pk, row.goal_id])
    return teller.event("observations", rank, row.created_at, row.pk, who, summary, url)


def appointment(teller: Teller, row: Any, rank: int) -> "Event":
    who = teller.person(row.therapist)
    if teller.family:
        summary = _("%(service)s with %(who)s (%(discipline)s): %(status)s") % {
            "service": FAMILY_SERVICE.get(row.service_type, row.get_service_type_display()),
            "who": who,
            "discipline": _discipline(row.discipline, teller),
            "status": FAMILY_STATUS.get(row.status, row.get_status_display()),
        }
        url = reverse("appointments:family") + f"?child={teller.child.pk}"
    else:
        summary = _("%(service)s, %(discipline)s: %(status)s") % {
            "service": row.get_service_type_display(),
            "discipline": row.get_discipline_display(),
            "status": row.get_status_display(),
        }
        url = reverse("appointments:child", args=[teller.child.pk]) + f"#appt-{row.pk}"
    return teller.event("appointments", rank, row.starts_at, row.pk, who, summary, url)


def plan_version(teller: Teller, row: Any, rank: int) -> "Event":
    who = teller.person(row.author)
    discipline = _discipline(row.discipline, teller)
    if row.status == PlanStatus.CLOSED:
        text = _("%(name)s's %(discipline)s plan was closed")
    elif row.status == PlanStatus.DRAFT:
        text = _("%(name)s's %(discipline)s plan was started (draft)")
    elif row.first_in_force:
        text = _("%(name)s's %(discipline)s plan is ready")
    else:
        text = _("%(name)s's %(discipline)s plan was updated")
    summary = text % {"name": teller.name, "discipline": discipline}
    if not teller.family:
        summary += " " + _("(version %(version)s)") % {"version": row.version}
    url = reverse("plans:detail", args=[teller.child.pk, row.id])
    return teller.event("plans", rank, row.history_date, row.history_id, who, summary, url)


def signature(teller: Teller, row: Any, rank: int) -> "Event":
    who = teller.person(row.guardian)
    discipline = _discipline(row.plan.discipline, teller)
    if teller.family and row.guardian_id == teller.membership.pk:
        summary = _("%(name)s's %(discipline)s plan — you signed it") % {
            "name": teller.name,
            "discipline": discipline,
        }
    elif teller.family:
        summary = _("%(who)s signed %(name)s's %(discipline)s plan") % {
            "who": who,
            "name": teller.name,
            "discipline": discipline,
        }
    else:
        summary = _("%(who)s signed the %(discipline)s plan, version %(version)s") % {
            "who": who,
            "discipline": discipline,
            "version": row.plan_version,
        }
    url = reverse("plans:detail", args=[teller.child.pk, row.plan_id])
    return teller.event("plans", rank, row.signed_at, row.pk, who, summary, url)


def handoff(teller: Teller, row: Any, rank: int) -> "Event":
    who = teller.person(row.author)
    summary = _("Hand-off to %(to)s: %(situation)s") % {
        "to": teller.person(row.recipient),
        "situation": _short(row.situation),
    }
    url = reverse("messaging:index", args=[teller.child.pk]) + "#timeline"
    return teller.event("handoffs", rank, row.created_at, row.pk, who, summary, url)


def report(teller: Teller, row: Any, rank: int) -> "Event":
    name = str(REPORT_NAMES.get(row.kind, _("Report")))
    if row.status == "ready":
        summary = _("%(report)s made") % {"report": name}
    else:
        summary = _("%(report)s: %(status)s") % {"report": name, "status": row.get_status_display()}
    url = reverse("progress:reports", args=[teller.child.pk])
    return teller.event(
        "reports", rank, row.created_at, row.pk, teller.person(row.requested_by), summary, url
    )


def _short(text: str, length: int = 80) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= length else line[: length - 1].rstrip() + "…"
