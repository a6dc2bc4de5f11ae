"""A fingerprint of a generated clinic, to compare two runs of the generator."""

import hashlib
from typing import Any

from tandem.accounts.models import Organization
from tandem.appointments.models import Appointment
from tandem.children.models import Child
from tandem.notes.models import GoalData, SessionNote


def digest(organization: Organization) -> str:
    """A SHA-256 over a few tables of a clinic (ids and content), to compare two runs."""
    h = hashlib.sha256()
    org = organization.id
    row: tuple[Any, ...]
    for row in (
        Child.objects.filter(organization_id=org)
        .order_by("id")
        .values_list("id", "first_name", "last_name", "date_of_birth")
    ):
        h.update(repr(row).encode())
    for row in (
        SessionNote.objects.filter(organization_id=org)
        .order_by("id")
        .values_list("id", "child_id", "date", "content_hash")
    ):
        h.update(repr(row).encode())
    for row in (
        GoalData.objects.filter(organization_id=org)
        .order_by("id")
        .values_list("id", "goal_id", "value", "gas_level")
    ):
        h.update(repr(row).encode())
    for row in (
        Appointment.objects.filter(organization_id=org)
        .order_by("id")
        .values_list("id", "encounter__starts_at", "status")
    ):
        h.update(repr(row).encode())
    return h.hexdigest()
