"""The dry run: what each row would do in this clinic — create, update, leave as it is,
or be refused and why. A fixed number of queries, whatever the file's length.

A row is refused when it has problems of its own (``records.check_child``), when another
row of the file is the same child (same identifier, or same name and date of birth),
when a child of the clinic has its name and date of birth but not its identifier (a
duplicate: give that child the identifier, or fix the row), when a guardian's email is
a staff member's, or when a care-team email is no therapist of the clinic. A row whose
identifier the clinic already has is that child: an update, or nothing when nothing
changed (so running the same file again creates nothing new). An identifier under the
clinic's own system (``records.own_system``: what its CSV export writes for a child with no
identifier) is that child of the clinic, never stored; one no child of the clinic has is
refused.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from tandem.access import visible_children
from tandem.accounts.access import members_visible_to
from tandem.accounts.models import Membership, Role
from tandem.children.access import care_team_in, diagnoses_in, guardian_links_in
from tandem.children.models import Child

from .access import identifiers_of
from .records import ChildIn, GuardianIn, own_system

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"


@dataclass
class Planned:
    """A row and what importing it would do."""

    incoming: ChildIn
    outcome: str = CREATE
    child: Child | None = None
    changes: list[str] = field(default_factory=list)
    new_identifiers: list[tuple[str, str]] = field(default_factory=list)
    new_diagnoses: list[tuple[str, str]] = field(default_factory=list)
    # Each guardian to link, with their membership when the clinic already has them.
    new_guardians: list[tuple[GuardianIn, Membership | None]] = field(default_factory=list)
    new_team: list[tuple[Membership, str]] = field(default_factory=list)
    # The clinic's children the row's report shows (the one it updates, a twin it names):
    # the report page logs their access.
    existing: list[Any] = field(default_factory=list)

    def as_report(self) -> dict[str, Any]:
        return {
            "row": self.incoming.row,
            "name": self.incoming.name,
            "outcome": self.outcome,
            "messages": self.incoming.messages,
            "changes": self.changes,
            "existing": [str(pk) for pk in self.existing],
        }


@dataclass
class Clinic:
    """What the clinic already holds that the file's rows may meet (read once)."""

    by_identifier: dict[tuple[str, str], Child]
    by_name: dict[tuple[str, str, Any], Child]
    identifiers: dict[Any, set[tuple[str, str]]]
    therapists: dict[str, Membership]
    staff_emails: set[str]
    guardians: dict[str, Membership]
    diagnoses: dict[Any, set[str]]
    guardian_emails: dict[Any, set[str]]
    team: dict[Any, set[Any]]
    own: str = ""  # the system of the clinic's own child ids (its CSV export's)


def read_clinic(admin: Membership, rows: list[ChildIn]) -> Clinic:
    """Load, in a few queries, every record of the clinic the rows could name."""
    values = {value for row in rows for _system, value in row.identifiers}
    births = {row.date_of_birth for row in rows if row.date_of_birth}
    found = identifiers_of(admin).filter(value__in=values).select_related("child")
    by_identifier = {(i.system, i.value): i.child for i in found}
    own = own_system(admin.organization_id)
    by_identifier |= _own_children(admin, own, rows)
    children = list(visible_children(admin).filter(date_of_birth__in=births))
    loaded = {c.pk for c in children}
    children += [c for c in by_identifier.values() if c.pk not in loaded]
    ids = [c.pk for c in children]
    emails = {g.email for row in rows for g in row.guardians}
    emails |= {email for row in rows for email, _seat in row.team}
    # The rows' emails are lowercased; an account's may hold capitals (invites match
    # them case-insensitively too): compare both lowercased, in the one query.
    members = (
        members_visible_to(admin)
        .annotate(email_lower=Lower("user__email"))
        .filter(email_lower__in={email.lower() for email in emails})
    )
    identifiers: dict[Any, set[tuple[str, str]]] = defaultdict(set)
    for known in identifiers_of(admin).filter(child_id__in=ids):
        identifiers[known.child_id].add((known.system, known.value))
    diagnoses: dict[Any, set[str]] = defaultdict(set)
    for d in diagnoses_in(admin).filter(child_id__in=ids):
        diagnoses[d.child_id].add(d.code)
    guardian_emails: dict[Any, set[str]] = defaultdict(set)
    for link in guardian_links_in(admin).filter(child_id__in=ids):
        guardian_emails[link.child_id].add(link.guardian.user.email.lower())
    team: dict[Any, set[Any]] = defaultdict(set)
    for seat in care_team_in(admin).filter(child_id__in=ids):
        team[seat.child_id].add(seat.therapist_id)
    by_role: dict[str, dict[str, Membership]] = defaultdict(dict)
    for member in members:
        if member.is_active or member.role == Role.GUARDIAN:
            by_role[member.role][member.user.email.lower()] = member
    return Clinic(
        by_identifier=by_identifier,
        by_name={_name_key(c.first_name, c.last_name, c.date_of_birth): c for c in children},
        identifiers=identifiers,
        therapists=by_role[Role.THERAPIST],
        staff_emails={m.user.email.lower() for m in members if m.role != Role.GUARDIAN},
        guardians=by_role[Role.GUARDIAN],
        diagnoses=diagnoses,
        guardian_emails=guardian_emails,
        team=team,
        own=own,
    )


def _own_children(admin: Membership, own: str, rows: list[ChildIn]) -> dict[Any, Child]:
    """The clinic's children the rows name by their Tandem id (the clinic's own export)."""
    ids: dict[uuid.UUID, str] = {}
    for row in rows:
        for system, value in row.identifiers:
            if system != own:
                continue
            try:
                ids[uuid.UUID(value)] = value
            except ValueError:
                continue
    if not ids:
        return {}
    return {(own, ids[c.pk]): c for c in visible_children(admin).filter(pk__in=list(ids))}


def plan(admin: Membership, rows: list[ChildIn]) -> list[Planned]:
    """What each row would do (the rows' ``messages`` gain the refusals)."""
    clinic = read_clinic(admin, rows)
    seen_ids: dict[tuple[str, str], int] = {}
    seen_names: dict[tuple[str, str, Any], int] = {}
    planned = []
    for row in rows:
        _check_in_file(row, seen_ids, seen_names)
        planned.append(_plan_row(row, clinic))
    return planned


def _check_in_file(row: ChildIn, seen_ids: dict[Any, int], seen_names: dict[Any, int]) -> None:
    for identifier in row.identifiers:
        if identifier in seen_ids:
            same = (
                _("Entry %(row)s has the same identifier: a child is imported once.")
                if row.entry
                else _("Row %(row)s has the same identifier: a child is imported once.")
            )
            row.messages.append(same % {"row": seen_ids[identifier]})
        seen_ids.setdefault(identifier, row.row)
    if row.date_of_birth:
        key = _name_key(row.first_name, row.last_name, row.date_of_birth)
        if key in seen_names:
            twin = (
                _("Entry %(row)s is a child of the same name and date of birth.")
                if row.entry
                else _("Row %(row)s is a child of the same name and date of birth.")
            )
            row.messages.append(twin % {"row": seen_names[key]})
        seen_names.setdefault(key, row.row)


def _plan_row(row: ChildIn, clinic: Clinic) -> Planned:
    planned = Planned(row)
    matches = {
        clinic.by_identifier[i].pk: clinic.by_identifier[i]
        for i in row.identifiers
        if i in clinic.by_identifier
    }
    for system, value in row.identifiers:
        if system == clinic.own and (system, value) not in clinic.by_identifier:
            row.messages.append(
                _("%(value)s is a Tandem id of this clinic's, and no child of it has it.")
                % {"value": value}
            )
    if len(matches) > 1:
        row.messages.append(_("Its identifiers name different children of the clinic."))
    child = next(iter(matches.values()), None)
    twin = clinic.by_name.get(_name_key(row.first_name, row.last_name, row.date_of_birth))
    planned.existing = [c.pk for c in (child, twin) if c is not None]
    if twin is not None and (child is None or twin.pk != child.pk):
        row.messages.append(
            _("%(name)s, born %(date)s, is already in the clinic under another identifier.")
            % {"name": twin.display_name, "date": twin.date_of_birth.isoformat()}
        )
    for guardian in row.guardians:
        if guardian.email in clinic.staff_emails:
            row.messages.append(
                _("%(email)s is a member of staff, not a family.") % {"email": guardian.email}
            )
    team = []
    for email, seat in row.team:
        therapist = clinic.therapists.get(email)
        if therapist is None:
            row.messages.append(
                _("No therapist of the clinic has the email %(email)s.") % {"email": email}
            )
        else:
            team.append((therapist, seat))
    if row.messages:
        planned.outcome = REFUSED
        return planned
    planned.child = child
    known = clinic.identifiers.get(child.pk, set()) if child else set()
    planned.new_identifiers = [i for i in row.identifiers if i not in known and i[0] != clinic.own]
    codes = clinic.diagnoses.get(child.pk, set()) if child else set()
    planned.new_diagnoses = [d for d in row.diagnoses if d[0] not in codes]
    linked = clinic.guardian_emails.get(child.pk, set()) if child else set()
    planned.new_guardians = [
        (g, clinic.guardians.get(g.email)) for g in row.guardians if g.email not in linked
    ]
    seated = clinic.team.get(child.pk, set()) if child else set()
    planned.new_team = [(t, seat) for t, seat in team if t.pk not in seated]
    if child is None:
        return planned
    planned.changes = _changes(row, child, planned)
    planned.outcome = UPDATE if planned.changes else UNCHANGED
    return planned


def _changes(row: ChildIn, child: Child, planned: Planned) -> list[str]:
    changes = [
        str(getattr(Child._meta.get_field(name), "verbose_name", name))
        for name, value in row.profile().items()
        if getattr(child, name) != value
    ]
    changes += [_("identifier %(value)s") % {"value": v} for _s, v in planned.new_identifiers]
    changes += [_("diagnosis %(code)s") % {"code": c} for c, _l in planned.new_diagnoses]
    changes += [_("guardian %(email)s") % {"email": g.email} for g, _m in planned.new_guardians]
    changes += [
        _("care team: %(name)s") % {"name": t.display_name} for t, _seat in planned.new_team
    ]
    return changes


def _name_key(first: str, last: str, born: Any) -> tuple[str, str, Any]:
    return (first.strip().casefold(), last.strip().casefold(), born)
