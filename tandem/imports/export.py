"""The clinic's caseload as CSV, in the import template's own columns (``csvfile.COLUMNS``):
a file the import reads back, into this clinic or another.

One row per child of the clinic (not archived), ordered by name and date of birth:

- ``identifier`` / ``identifier_system``: the child's first stored identifier (by system,
  then value); a child with none gets its Tandem id under the clinic's own system
  (``records.own_system``: ``urn:tandem:clinic:<clinic id>``). Another clinic keeps that
  as any external identifier; this clinic reads it back as the same child.
- the profile: names, date of birth (ISO), sex, preferred name and languages;
- the first two guardians (primary contact first, then by when they were linked): email,
  the name the clinic knows them by (what it typed while they have not accepted its
  invitation, their own after), relationship;
- the diagnoses: ``F84.0 Label; F80.2 Label`` (the label left out when it is the code);
- the care team: the lead and the treating therapists (active members only: the import
  seats no one else); consulting seats have no column.

Read in chunks with their relations prefetched: a fixed number of queries per 500 children.
Cells a spreadsheet would run as a formula are defused (``tandem.audit.csv_export.safe``).
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch

from tandem.access import visible_children
from tandem.accounts.access import invitations_visible_to
from tandem.accounts.models import Membership, Role
from tandem.audit.csv_export import safe
from tandem.children.access import care_team_in, diagnoses_in, guardian_links_in
from tandem.children.models import Child, TeamRole

from .access import identifiers_of
from .csvfile import COLUMNS
from .records import own_system

CHUNK = 500
GUARDIANS = ("guardian", "guardian2")


def caseload_of(admin: Membership) -> Any:
    """The clinic's children to export, with what each row needs prefetched."""
    seats = care_team_in(admin).filter(
        therapist__is_active=True,
        therapist__role=Role.THERAPIST,
        role__in=(TeamRole.LEAD, TeamRole.TREATING),
    )
    links = guardian_links_in(admin).order_by("-is_primary_contact", "created_at", "id")
    return (
        visible_children(admin)
        .filter(archived_at__isnull=True)
        .order_by("last_name", "first_name", "date_of_birth", "id")
        .prefetch_related(
            Prefetch("identifiers", queryset=identifiers_of(admin).order_by("system", "value")),
            Prefetch("diagnoses", queryset=diagnoses_in(admin)),
            Prefetch("guardian_links", queryset=links),
            Prefetch("care_team", queryset=seats),
        )
    )


def rows(admin: Membership) -> Iterator[list[str]]:
    """The header, then one row per child (every cell defused)."""
    yield list(COLUMNS)
    own = own_system(admin.organization_id)
    chunk: list[Child] = []
    for child in caseload_of(admin).iterator(chunk_size=CHUNK):
        chunk.append(child)
        if len(chunk) == CHUNK:
            yield from _chunk_rows(admin, own, chunk)
            chunk = []
    yield from _chunk_rows(admin, own, chunk)


def _chunk_rows(admin: Membership, own: str, children: list[Child]) -> Iterator[list[str]]:
    if not children:
        return
    waiting = {
        link.guardian_id
        for child in children
        for link in child.guardian_links.all()[: len(GUARDIANS)]
        if link.guardian.invited_name
    }
    typed = _typed_names(admin, waiting)
    for child in children:
        row = _row(child, own, typed)
        yield [safe(row.get(column, "")) for column in COLUMNS]


def _typed_names(admin: Membership, member_ids: set[Any]) -> dict[Any, tuple[str, str]]:
    """The names the clinic typed when it invited these members (the newest invitation)."""
    if not member_ids:
        return {}
    invitations = (
        invitations_visible_to(admin)
        .filter(membership_id__in=member_ids)
        .order_by("created_at")
        .values_list("membership_id", "first_name", "last_name")
    )
    return {member: (first, last) for member, first, last in invitations}


def _row(child: Child, own: str, typed: dict[Any, tuple[str, str]]) -> dict[str, str]:
    identifier = next(iter(child.identifiers.all()), None)
    row = {
        "identifier": identifier.value if identifier else str(child.pk),
        "identifier_system": identifier.system if identifier else own,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": child.sex,
        "preferred_name": child.preferred_name,
        "preferred_languages": child.preferred_languages,
        "diagnoses": "; ".join(_diagnosis(d.code, d.label) for d in child.diagnoses.all()),
    }
    for prefix, link in zip(GUARDIANS, child.guardian_links.all(), strict=False):
        first, last = _guardian_name(link.guardian, typed)
        row |= {
            f"{prefix}_email": link.guardian.user.email.lower(),
            f"{prefix}_first_name": first,
            f"{prefix}_last_name": last,
            f"{prefix}_relationship": link.relationship,
        }
    seats = list(child.care_team.all())
    lead = [s.therapist.user.email.lower() for s in seats if s.role == TeamRole.LEAD]
    row["lead_therapist_email"] = min(lead, default="")
    row["therapist_emails"] = "; ".join(
        sorted(s.therapist.user.email.lower() for s in seats if s.role == TeamRole.TREATING)
    )
    return row


def _diagnosis(code: str, label: str) -> str:
    # The import splits the cell at ";" (and at a "," before a code): keep them out of labels.
    label = label.replace(";", ",").strip()
    return code if not label or label == code else f"{code} {label}"


def _guardian_name(member: Membership, typed: dict[Any, tuple[str, str]]) -> tuple[str, str]:
    """The name the clinic knows the guardian by (``Membership.display_name``'s rule)."""
    if member.invited_name:
        if member.pk in typed:
            return typed[member.pk]
        first, _sep, last = member.invited_name.partition(" ")
        return ("", "") if "@" in member.invited_name else (first, last)
    return member.user.first_name, member.user.last_name


class _Echo:
    def write(self, value: str) -> str:
        return value


def lines(cells: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text, line by line (CRLF, as the template)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    return (writer.writerow(row) for row in cells)
