"""The "Today" API: ``GET /today`` (a therapist's or admin's day and what their caseload
asks of them) and ``GET /clinic/numbers`` (the clinic's figures, admins). The same
readers as the pages (``needs.py``, ``numbers.py``), so the page and the API agree."""

import datetime
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.access.api import permits_api
from tandem.api.auth import acting_member, signed_in
from tandem.api.schemas import ERRORS
from tandem.audit.actions import log_access
from tandem.audit.models import AccessLog
from tandem.core import clock

from .needs import Needs, Section, needs
from .numbers import DEFAULT_PERIOD, Row, clinic_numbers

router = Router(tags=["today"])


class SessionOut(Schema):
    appointment_id: uuid.UUID
    child_id: uuid.UUID
    child_name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    service_type: str
    location: str
    status: str
    note_id: uuid.UUID | None = Field(None, description="The child's note of this session.")
    note_status: str | None = None
    may_write_note: bool
    join_url: str = Field("", description="The video room, while it is open to the caller.")


class ItemOut(Schema):
    kind: str = Field(
        description="draft, cosign, sent_back, regression, plateau, mastered, plan_overdue, "
        "plan_review_soon, plan_unsigned, ifsp, iep, iep_review, ifsp_review, 504_review, "
        "part_c_transition, low_adherence, "
        "checkin, unread"
    )
    child_id: uuid.UUID
    child_name: str
    record_id: uuid.UUID | None = Field(None, description="The note, goal, plan or check-in.")
    date: datetime.date | None = None
    value: int | None = Field(None, description="Age in days, per cent, or messages unread.")


class ListOut(Schema):
    total: int
    items: list[ItemOut]


class TodayOut(Schema):
    today: datetime.date
    caseload_size: int
    sessions: list[SessionOut]
    drafts: ListOut
    cosign: ListOut
    sent_back: ListOut
    goals: ListOut
    plans: ListOut
    dates: ListOut
    adherence: ListOut
    checkins: ListOut
    unread: ListOut


def _item(kind: str, child: Any, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "child_id": child.id, "child_name": child.display_name, **fields}


def _list(section: Section, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"total": section.total, "items": items}


def _plan_kind(due: Any) -> list[str]:
    kinds = []
    if due.overdue:
        kinds.append("plan_overdue")
    if due.review_soon:
        kinds.append("plan_review_soon")
    if due.unsigned:
        kinds.append("plan_unsigned")
    return kinds


def serialize(found: Needs) -> dict[str, Any]:
    sessions = [
        {
            "appointment_id": a.id,
            "child_id": a.child_id,
            "child_name": a.child.display_name,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "service_type": a.service_type,
            "location": a.location,
            "status": a.status,
            "note_id": a.note_id,  # type: ignore[attr-defined]
            "note_status": a.note_status,  # type: ignore[attr-defined]
            "may_write_note": a.may_write_note,  # type: ignore[attr-defined]
            "join_url": a.join_url,  # type: ignore[attr-defined]
        }
        for a in found.sessions
    ]
    date_kinds = {
        "ifsp": "ifsp",
        "iep": "iep",
        "review": "iep_review",
        "transition": "part_c_transition",
        "ifsp_review": "ifsp_review",
        "iep_review": "iep_review",
        "504_review": "504_review",
    }
    return {
        "today": found.today,
        "caseload_size": found.caseload_size,
        "sessions": sessions,
        "drafts": _list(
            found.drafts,
            [
                _item("draft", n.child, record_id=n.id, date=n.date, value=n.age_days)
                for n in found.drafts.rows
            ],
        ),
        "sent_back": _list(
            found.sent_back,
            [
                _item("sent_back", n.child, record_id=n.id, date=n.date)
                for n in found.sent_back.rows
            ],
        ),
        "cosign": _list(
            found.cosign,
            [_item("cosign", n.child, record_id=n.id, date=n.date) for n in found.cosign.rows],
        ),
        "goals": _list(
            found.flags, [_item(f.kind, f.child, record_id=f.goal.id) for f in found.flags.rows]
        ),
        "plans": _list(
            found.plans,
            [
                _item(kind, d.plan.child, record_id=d.plan.id, date=d.plan.review_date)
                for d in found.plans.rows
                for kind in _plan_kind(d)
            ],
        ),
        "dates": _list(
            found.dates,
            [_item(date_kinds[d.kind], d.child, date=d.day) for d in found.dates.rows],
        ),
        "adherence": _list(
            found.adherence,
            [_item("low_adherence", r.child, value=r.value) for r in found.adherence.rows],
        ),
        "checkins": _list(
            found.checkins,
            [
                _item(
                    "checkin",
                    c.child,
                    record_id=c.id,
                    date=clock.local_now(None, c.created_at).date(),
                )
                for c in found.checkins.rows
            ],
        ),
        "unread": _list(
            found.unread, [_item("unread", r.child, value=r.value) for r in found.unread.rows]
        ),
    }


@router.get("/today", response={200: TodayOut, **ERRORS}, auth=signed_in(permits_api("today.view")))
def today(request: HttpRequest) -> dict[str, Any]:
    """The caller's sessions today and what their caseload asks of them (as the "Today"
    page): each list has its ``total`` and at most its first 20 items. Each child named
    is logged."""
    found = needs(acting_member(request))
    children = {a.child_id: a.child for a in found.sessions}
    for section in found.sections:
        for row in section.rows:
            child = getattr(row, "child", None) or row.plan.child
            children[child.id] = child
    log_access(request, children.values(), action=AccessLog.Action.LIST)
    return serialize(found)


class RowOut(Schema):
    therapist_id: uuid.UUID | None = Field(None, description="None for the clinic's total.")
    therapist_name: str = ""
    appointments: int
    attended: int
    missed: int
    cancelled: int
    late_cancelled: int
    no_show_rate: float | None = Field(None, description="Per cent: missed ÷ (attended + missed).")
    late_cancel_rate: float | None = Field(None, description="Per cent of all appointments.")
    minutes_held: int
    available_minutes: int = Field(description="Inside working hours, less time off (0: none set).")
    utilisation: float | None = Field(None, description="Per cent: minutes held ÷ available.")
    sessions_held: int = Field(description="Sessions with a child attended; a group once.")
    unsigned_24h: int
    unsigned_72h: int


class NumbersOut(Schema):
    days: int
    start: datetime.date
    end: datetime.date
    total: RowOut
    therapists: list[RowOut]


class PeriodFilter(Schema):
    days: Literal[7, 30, 90] = DEFAULT_PERIOD  # type: ignore[assignment]


def _row(row: Row) -> dict[str, Any]:
    return {
        "therapist_id": row.therapist.id if row.therapist else None,
        "therapist_name": row.therapist.display_name if row.therapist else "",
        "appointments": row.appointments,
        "attended": row.attended,
        "missed": row.missed,
        "cancelled": row.cancelled,
        "late_cancelled": row.late_cancelled,
        "no_show_rate": row.no_show_rate,
        "late_cancel_rate": row.late_cancel_rate,
        "minutes_held": row.minutes_held,
        "available_minutes": row.available_minutes,
        "utilisation": row.utilisation,
        "sessions_held": row.sessions_held,
        "unsigned_24h": row.unsigned_24h,
        "unsigned_72h": row.unsigned_72h,
    }


@router.get(
    "/clinic/numbers",
    response={200: NumbersOut, **ERRORS},
    auth=signed_in(permits_api("today.clinic")),
)
def numbers(request: HttpRequest, period: Query[PeriodFilter]) -> dict[str, Any]:
    """The clinic's figures over the last 7, 30 or 90 days, today excluded (admins):
    appointments by outcome, no-show and late-cancel rates, minutes held, notes unsigned
    after 24 and 72 hours; by therapist and in total. Names no child."""
    found = clinic_numbers(acting_member(request), period.days)
    return {
        "days": found.days,
        "start": found.start,
        "end": found.end,
        "total": _row(found.total),
        "therapists": [_row(r) for r in found.rows],
    }
