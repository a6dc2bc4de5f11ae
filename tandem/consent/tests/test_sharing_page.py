"""A guardian with legal authority shares parts of a child's record, and stops sharing."""

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import Invitation, Membership, Role
from tandem.audit.versions import changes
from tandem.children.models import Child
from tandem.consent.models import ConsentGrant
from tandem.core.testing import factories as f

from .helpers import clinic_today, share

pytestmark = pytest.mark.clock  # depends on the date: `make test-clock`

# A warmed-up request: the session, the member with their clinic, then the page.
BUDGET_SHARING = 5


def index_url(child: Child) -> str:
    return reverse("consent:index", args=[child.id])


def grant_url(child: Child) -> str:
    return reverse("consent:grant", args=[child.id])


def form(child: Child, **changes: Any) -> dict[str, Any]:
    data = {
        "email": "ms.rivera@school.example.org",
        "first_name": "Ana",
        "last_name": "Rivera",
        "role_title": "Class teacher",
        "can_see_summary": "on",
        "expires_on": (clinic_today(child) + datetime.timedelta(days=120)).isoformat(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_guardian_sees_who_the_record_is_shared_with(world, client_as):
    body = client_as(world.guardian).get(index_url(world.child)).content.decode()
    assert world.consented_collaborator.display_name in body  # shared now
    assert world.revoked_collaborator.display_name in body  # under "Sharing that has ended"
    assert "Share with someone" in body


def test_sharing_invites_a_new_person_by_email(world, client_as):
    response = client_as(world.guardian).post(grant_url(world.child), form(world.child))
    assert response.status_code == 302
    member = Membership.objects.get(
        organization=world.org, user__email="ms.rivera@school.example.org"
    )
    assert (member.role, member.title) == (Role.COLLABORATOR, "Class teacher")
    grant = ConsentGrant.objects.get(collaborator=member)
    assert grant.child == world.child and grant.granted_by == world.guardian
    assert grant.scopes == ["summary"]
    assert Invitation.objects.filter(membership=member, accepted_at=None).exists()
    assert mail.outbox[-1].to == ["ms.rivera@school.example.org"]
    assert "Maya" not in mail.outbox[-1].body  # the email does not name the child


def test_sharing_with_someone_who_signs_in_already_sends_a_notice(world, client_as):
    email = world.collaborator.user.email
    client_as(world.guardian).post(grant_url(world.child), form(world.child, email=email))
    assert ConsentGrant.objects.filter(collaborator=world.collaborator).exists()
    assert not Invitation.objects.filter(membership=world.collaborator).exists()
    assert mail.outbox[-1].to == [email]
    assert "Maya" not in mail.outbox[-1].body


def test_sharing_again_replaces_the_active_consent(world, client_as):
    email = world.consented_collaborator.user.email
    before = ConsentGrant.objects.get(collaborator=world.consented_collaborator, child=world.child)
    client_as(world.guardian).post(
        grant_url(world.child), form(world.child, email=email, can_read_notes="on")
    )
    before.refresh_from_db()
    assert before.revoked_at is not None and before.revoked_by == world.guardian
    current = ConsentGrant.objects.active().get(
        collaborator=world.consented_collaborator, child=world.child
    )
    assert current.scopes == ["summary", "notes"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"can_see_summary": None}, "Choose at least one thing to share."),
        ({"expires_on": "2020-01-01"}, "Choose a day after today."),
        ({"expires_on": "today"}, "Choose a day after today."),
        ({"expires_on": "in two years"}, "Choose a day within one year."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"role_title": ""}, "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(world, client_as, changes, message):
    today = clinic_today(world.child)
    if changes.get("expires_on") == "today":
        changes["expires_on"] = today.isoformat()
    if changes.get("expires_on") == "in two years":
        changes["expires_on"] = (today + datetime.timedelta(days=730)).isoformat()
    count = ConsentGrant.objects.count()
    response = client_as(world.guardian).post(grant_url(world.child), form(world.child, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ConsentGrant.objects.count() == count
    assert not Membership.objects.filter(user__email="ms.rivera@school.example.org").exists()


@pytest.mark.parametrize("persona", ["therapist", "guardian", "admin"])
def test_staff_and_family_emails_cannot_receive_a_consent(world, client_as, persona):
    email = getattr(world, persona).user.email
    response = client_as(world.guardian).post(
        grant_url(world.child), form(world.child, email=email)
    )
    assert "cannot be used for sharing" in response.content.decode()
    assert not ConsentGrant.objects.filter(collaborator=getattr(world, persona)).exists()


def test_guardian_without_legal_authority_cannot_share(world, client_as):
    grandma = f.GuardianLinkFactory(
        child=world.child, relationship="grandparent", has_legal_authority=False
    ).guardian
    client = client_as(grandma)
    page = client.get(index_url(world.child)).content.decode()
    assert "Share with someone" not in page and "please ask the clinic" in page
    assert client.post(grant_url(world.child), form(world.child)).status_code == 403
    grant = ConsentGrant.objects.filter(child=world.child).first()
    stop = reverse("consent:revoke", args=[world.child.id, grant.id])
    assert client.post(stop).status_code == 403
    assert not Membership.objects.filter(user__email="ms.rivera@school.example.org").exists()


def test_other_families_and_therapists_learn_nothing(world, client_as):
    for persona in ("other_guardian", "therapist", "foreign_guardian", "consented_collaborator"):
        client = client_as(getattr(world, persona))
        assert client.get(index_url(world.child)).status_code == 404, persona


def test_guardian_stops_sharing_and_it_is_in_the_audit_trail(world, client_as):
    grant = ConsentGrant.objects.get(collaborator=world.consented_collaborator, child=world.child)
    response = client_as(world.guardian).post(
        reverse("consent:revoke", args=[world.child.id, grant.id])
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == world.guardian
    kinds = [
        c.kind
        for c in changes(world.org.id, child_id=world.child.id)
        if c.record == "consent grant"
    ]
    assert "changed" in kinds and "created" in kinds
    trail = client_as(world.admin).get(reverse("audit:child", args=[world.child.id]))
    assert "consent grant" in trail.content.decode()


def test_an_admin_may_stop_sharing_too(world, client_as):
    grant = share(world.collaborator, world.child, world.guardian)
    client_as(world.admin).post(reverse("consent:revoke", args=[world.child.id, grant.id]))
    grant.refresh_from_db()
    assert grant.revoked_by == world.admin


def test_stopping_twice_is_harmless(world, client_as):
    grant = share(world.collaborator, world.child, world.guardian)
    client = client_as(world.guardian)
    url = reverse("consent:revoke", args=[world.child.id, grant.id])
    client.post(url)
    first = ConsentGrant.objects.get(pk=grant.pk).revoked_at
    assert client.post(url).status_code == 302
    assert ConsentGrant.objects.get(pk=grant.pk).revoked_at == first


def test_sharing_page_query_count_is_bounded(world, client_as, django_assert_max_num_queries):
    for _ in range(10):
        share(f.CollaboratorFactory(organization=world.org), world.child, world.guardian)
    client = client_as(world.guardian)
    client.get(index_url(world.child))  # the first request records the device
    with django_assert_max_num_queries(BUDGET_SHARING):
        assert client.get(index_url(world.child)).status_code == 200
