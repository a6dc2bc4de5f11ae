"""Writing the checked rows: each child, identifier, guardian and care-team seat through
the apps' own actions (versions, history), all in one transaction.

Guardians are invited as intake invites a new family (``accounts.actions.invite_person``:
an account without a password, an email with a link sent by the worker); a guardian
already in the clinic is linked, never invited again, and one email shared by several
rows (siblings) is invited once.
"""

from collections.abc import Callable

from django.db import transaction

from tandem.accounts.actions import invite_person
from tandem.accounts.models import Membership, Role
from tandem.children import actions as children
from tandem.children.access import diagnoses_in

from .checking import CREATE, UPDATE, Planned
from .models import ChildIdentifier
from .records import GuardianIn

BATCH = 100  # rows between two progress reports


@transaction.atomic
def write(
    by: Membership,
    planned: list[Planned],
    progress: Callable[[int], None] = lambda done: None,
) -> int:
    """Write every row to create or update; return how many children were touched."""
    families: dict[str, Membership] = {}  # guardians invited by this import
    touched = 0
    for n, row in enumerate(planned, start=1):
        if row.outcome in (CREATE, UPDATE):
            _write_row(by, row, families)
            touched += 1
        if n % BATCH == 0:
            progress(n)
    progress(len(planned))
    return touched


def _write_row(by: Membership, row: Planned, families: dict[str, Membership]) -> None:
    incoming = row.incoming
    child = row.child
    if child is None:
        child = children.create_child(by, **incoming.profile(), diagnoses=row.new_diagnoses)
    else:
        profile = incoming.profile()
        if any(getattr(child, name) != value for name, value in profile.items()):
            child = children.update_child(child, expected_version=child.version, **profile)
        if row.new_diagnoses:
            kept = [(d.code, d.label) for d in diagnoses_in(by).filter(child=child)]
            children.set_diagnoses(child, kept + row.new_diagnoses)
    for system, value in row.new_identifiers:
        ChildIdentifier(
            organization_id=child.organization_id, child=child, system=system, value=value
        ).save()
    for number, (guardian, known) in enumerate(row.new_guardians):
        member = known or families.get(guardian.email) or _invite(by, guardian)
        families[guardian.email] = member
        children.link_guardian(
            child,
            member,
            relationship=guardian.relationship,
            has_legal_authority=True,
            is_primary_contact=number == 0 and row.child is None,
        )
    for therapist, seat in row.new_team:
        children.add_to_care_team(child, therapist, seat)


def _invite(by: Membership, guardian: GuardianIn) -> Membership:
    member, _invitation = invite_person(
        by,
        email=guardian.email,
        role=Role.GUARDIAN,
        first_name=guardian.first_name,
        last_name=guardian.last_name,
    )
    return member
