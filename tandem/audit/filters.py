"""The audit trail's filters: person, child, dates (the clinic's days) and action.

The same filters narrow the page and its CSV export. Bad input (a date that is not a
date, a range that ends before it starts, a person or child not of the clinic) is a
message on the form, and no rows: never a 500 and never an unfiltered trail that looks
filtered.
"""

import datetime
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Membership
from tandem.children.models import Child
from tandem.core.clock import start_of

from .models import AccessLog, AccessLogQuerySet

CHANGED = "changed"  # not an access-log row: a version of a record
# Above this many people or children the filter does not list them to pick from (a
# 20,000-child clinic's page held 40,000 options: 3.7 MB in 6 s); their name is typed.
PICK_MAX = 300
SUGGESTED = 5  # names told when a typed name fits several
Found = TypeVar("Found", Membership, Child)


def action_choices() -> list[tuple[str, Any]]:
    return [("", _("Any action")), *AccessLog.Action.choices, (CHANGED, _("Changed"))]


class TrailFilter(forms.Form):
    """People and children come from the caller (already read through the access layer):
    as lists to pick from, or (``None``, a clinic with more than PICK_MAX) as a name
    typed and looked up by ``find_people`` / ``find_children`` (an id too: the child's
    and the person's own trails pass theirs)."""

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
        self,
        data: Any,
        *,
        people: list[Membership] | None,
        children: list[Child] | None,
        find_people: Callable[[str], Sequence[Membership]] | None = None,
        find_children: Callable[[str], Sequence[Child]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.people = {str(m.pk): m for m in people or []}
        self.kids = {str(c.pk): c for c in children or []}
        self.find_people = find_people if people is None else None
        self.find_children = find_children if children is None else None
        # A typed name that fits several: each offered as a link to pick it by its id.
        self.suggested: dict[str, Sequence[Membership | Child]] = {}
        choice = self.choice_field
        if people is None:
            self.fields["person"] = _typed(_("Person"), _("Part of their name or email."))
        else:
            choice("person").choices = [("", _("Anyone"))] + [
                (str(m.pk), f"{m.display_name} ({m.get_role_display()})") for m in people
            ]
        if children is None:
            self.fields["child"] = _typed(_("Child"), _("Part of the child's name."))
        else:
            choice("child").choices = [("", _("Any child"))] + [
                (str(c.pk), c.display_name) for c in children
            ]
        choice("action").choices = action_choices()

    def clean_person(self) -> str:
        text = self.cleaned_data.get("person") or ""
        if self.find_people is None or not text:
            return text
        return self._one(
            "person",
            self.find_people(text),
            self.people,
            none=_("Nobody of the clinic has “%(text)s” in their name or email.") % {"text": text},
            many=str(_("Several people match “%(text)s”: %(names)s. Pick one, or type more.")),
            text=text,
        )

    def clean_child(self) -> str:
        text = self.cleaned_data.get("child") or ""
        if self.find_children is None or not text:
            return text
        return self._one(
            "child",
            self.find_children(text),
            self.kids,
            none=_("No child of the clinic has “%(text)s” in their name.") % {"text": text},
            many=str(_("Several children match “%(text)s”: %(names)s. Pick one, or type more.")),
            text=text,
        )

    def _one(
        self,
        name: str,
        found: Sequence[Found],
        into: dict[str, Found],
        *,
        none: str,
        many: str,
        text: str,
    ) -> str:
        """The one match's id (kept in ``into`` for the criteria), else a clear message
        (and, for several, each of the first few to pick)."""
        if not found:
            raise forms.ValidationError(none)
        if len(found) > 1:
            self.suggested[name] = found[:SUGGESTED]
            names = ", ".join(f.display_name for f in found[:SUGGESTED])
            more = "…" if len(found) > SUGGESTED else ""
            raise forms.ValidationError(many % {"text": text, "names": names + more})
        into[str(found[0].pk)] = found[0]
        return str(found[0].pk)

    def choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


def _typed(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=100)


def as_id(text: str) -> uuid.UUID | None:
    """The id a trail's own link passes, or None for a typed name."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        return None


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
