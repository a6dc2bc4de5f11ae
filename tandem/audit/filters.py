"""The audit trail's filters: person, child, dates (the clinic's days) and action.

The same filters narrow the page and its CSV export. Bad input (a date that is not a
date, a range that ends before it starts, a person or child not of the clinic) is a
message on the form, and no rows: never a 500 and never an unfiltered trail that looks
filtered.
"""

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.clock import start_of

from .models import AccessLog, AccessLogQuerySet

CHANGED = "changed"  # not an access-log row: a version of a record


def action_choices() -> list[tuple[str, Any]]:
    return [("", _("Any action")), *AccessLog.Action.choices, (CHANGED, _("Changed"))]


class TrailFilter(forms.Form):
    """People and children come from the caller (already read through the access layer)."""

    person = forms.ChoiceField(label=_("Person"), required=False)
    child = forms.ChoiceField(label=_("Child"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(label=_("Action"), required=False)

    def __init__(
        self, data: Any, *, people: list[Membership], children: list[Child], **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.people = {str(m.pk): m for m in people}
        self.kids = {str(c.pk): c for c in children}
        choice = self.choice_field
        choice("person").choices = [("", _("Anyone"))] + [
            (str(m.pk), f"{m.display_name} ({m.get_role_display()})") for m in people
        ]
        choice("child").choices = [("", _("Any child"))] + [
            (str(c.pk), c.display_name) for c in children
        ]
        choice("action").choices = action_choices()

    def choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


@dataclass
class Criteria:
    """What a valid filter asks for."""

    person: Membership | None = None
    child: Child | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    action: str = ""

    @property
    def since(self) -> datetime.datetime | None:
        return start_of(self.start) if self.start else None

    @property
    def before(self) -> datetime.datetime | None:
        return start_of(self.end + datetime.timedelta(days=1)) if self.end else None

    @property
    def wants_views(self) -> bool:
        return self.action != CHANGED

    @property
    def wants_changes(self) -> bool:
        return self.action in ("", CHANGED)

    def narrow(self, log: AccessLogQuerySet) -> AccessLogQuerySet:
        """The access-log rows these criteria keep."""
        if not self.wants_views:
            return log.none()
        if self.person is not None:
            log = log.filter(user_id=self.person.user_id)
        if self.child is not None:
            log = log.about(self.child)
        if self.since is not None:
            log = log.filter(at__gte=self.since)
        if self.before is not None:
            log = log.filter(at__lt=self.before)
        if self.action:
            log = log.filter(action=self.action)
        return log

    def change_filters(self) -> dict[str, Any]:
        """Keyword arguments of ``versions.changes`` for these criteria."""
        return {
            "child_id": self.child.pk if self.child else None,
            "user": self.person.user if self.person else None,
            "since": self.since,
            "before": self.before,
        }


def criteria_of(form: TrailFilter) -> Criteria | None:
    """The form's criteria, or None when it has errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return Criteria(
        person=form.people.get(data.get("person") or ""),
        child=form.kids.get(data.get("child") or ""),
        start=data.get("start"),
        end=data.get("end"),
        action=data.get("action") or "",
    )
