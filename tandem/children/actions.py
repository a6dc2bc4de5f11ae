"""Changes to a child's record. Each runs in one transaction and keeps a version."""

import datetime
from typing import Any

from django.db import transaction

from tandem.accounts.models import Membership, Role
from tandem.core.access import Conflict

from .models import CareTeamMember, Child, Diagnosis, GuardianLink

CHILD_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "sex",
    "gestational_age_weeks",
    "preferred_languages",
    "photo",
    "strengths",
    "interests",
    "challenges",
    "sensory_notes",
    "family_context",
    "school",
    "ifsp_date",
    "iep_date",
    "iep_review_date",
)


@transaction.atomic
def create_child(by: Membership, *, at: datetime.datetime | None = None, **fields: Any) -> Child:
    """Add a child to the member's organization."""
    diagnoses = fields.pop("diagnoses", [])
    child = Child(organization_id=by.organization_id, **fields)
    child.full_clean(validate_unique=False, validate_constraints=False)
    child.save(at=at)
    set_diagnoses(child, diagnoses, at=at)
    return child


@transaction.atomic
def update_child(child: Child, *, expected_version: int, **changes: Any) -> Child:
    """Save changes made to ``expected_version`` of the record, or raise Conflict.

    The row is locked first so that two saves of the same version cannot both win.
    """
    current = Child.objects.select_for_update().get(
        pk=child.pk, organization_id=child.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    diagnoses = changes.pop("diagnoses", None)
    for name, value in changes.items():
        if name not in CHILD_FIELDS:
            raise ValueError(f"{name} is not a field of the child's profile")
        setattr(current, name, value)
    current.version = expected_version + 1
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.save()
    if diagnoses is not None:
        set_diagnoses(current, diagnoses)
    return current


def set_diagnoses(
    child: Child, diagnoses: list[tuple[str, str]], at: datetime.datetime | None = None
) -> None:
    """Make the child's diagnoses exactly these (code, label) pairs, keeping history."""
    wanted = dict(diagnoses)
    existing = {
        d.code: d
        for d in Diagnosis.objects.filter(organization_id=child.organization_id, child=child)
    }
    for code, diagnosis in existing.items():
        if code not in wanted:
            diagnosis.delete()
    for code, label in wanted.items():
        if code not in existing:
            Diagnosis(
                organization_id=child.organization_id, child=child, code=code, label=label
            ).save(at=at)


@transaction.atomic
def archive_child(child: Child, *, expected_version: int) -> Child:
    """Take a child off every list; the record and its history are kept."""
    from django.utils import timezone

    current = Child.objects.select_for_update().get(
        pk=child.pk, organization_id=child.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    current.archived_at = timezone.now()
    current.version += 1
    current.save()
    return current


@transaction.atomic
def link_guardian(
    child: Child, guardian: Membership, *, at: datetime.datetime | None = None, **fields: Any
) -> GuardianLink:
    """Tie a guardian of the same organization to a child."""
    if guardian.organization_id != child.organization_id or guardian.role != Role.GUARDIAN:
        raise ValueError("Only a guardian of the child's organization can be linked.")
    link = GuardianLink(organization_id=child.organization_id, child=child, guardian=guardian)
    for name, value in fields.items():
        setattr(link, name, value)
    link.full_clean(
        exclude=["organization", "child", "guardian"],
        validate_unique=False,
        validate_constraints=False,
    )
    link.save(at=at)
    return link


@transaction.atomic
def update_guardian_link(link: GuardianLink, **fields: Any) -> GuardianLink:
    for name, value in fields.items():
        setattr(link, name, value)
    link.full_clean(
        exclude=["organization", "child", "guardian"],
        validate_unique=False,
        validate_constraints=False,
    )
    link.save()
    return link


@transaction.atomic
def add_to_care_team(
    child: Child, therapist: Membership, role: str, *, at: datetime.datetime | None = None
) -> CareTeamMember:
    """Put a therapist of the same organization on a child's care team."""
    if therapist.organization_id != child.organization_id or therapist.role != Role.THERAPIST:
        raise ValueError("Only a therapist of the child's organization can join the team.")
    seat = CareTeamMember(
        organization_id=child.organization_id, child=child, therapist=therapist, role=role
    )
    seat.full_clean(
        exclude=["organization", "child", "therapist"],
        validate_unique=False,
        validate_constraints=False,
    )
    seat.save(at=at)
    return seat


@transaction.atomic
def update_care_team_member(seat: CareTeamMember, role: str) -> CareTeamMember:
    seat.role = role
    seat.full_clean(
        exclude=["organization", "child", "therapist"],
        validate_unique=False,
        validate_constraints=False,
    )
    seat.save()
    return seat


@transaction.atomic
def remove_from_care_team(seat: CareTeamMember) -> None:
    seat.delete()


@transaction.atomic
def unlink_guardian(link: GuardianLink) -> None:
    link.delete()


TAG_FIELDS = ("interest_tags", "strength_tags", "interests", "strengths")


@transaction.atomic
def set_interests(
    child: Child,
    *,
    expected_version: int,
    interest_tags: list[str],
    strength_tags: list[str],
    interests: str,
    strengths: str,
) -> Child:
    """Save the child's interests and strengths (tags and free text) as a new version.

    A save based on an older version raises Conflict; an unknown tag raises ValueError.
    """
    from .interests import Interest, Strength, clean_tags

    current = Child.objects.select_for_update().get(
        pk=child.pk, organization_id=child.organization_id
    )
    if current.version != expected_version:
        raise Conflict(current.version)
    current.interest_tags = clean_tags(interest_tags, Interest)
    current.strength_tags = clean_tags(strength_tags, Strength)
    current.interests = interests
    current.strengths = strengths
    current.version = expected_version + 1
    current.full_clean(validate_unique=False, validate_constraints=False)
    current.save()
    return current
