"""The notes app's rules (``tandem/notes/rules.py``): who may do what with a note.

The matrices walk every route as every persona; these pin the rules with an edge:
the roles that never see notes, the supervisor, the consulting therapist, a note's
state (409) told before who may act on it (403), and the org-wide scopes.
"""

import json
from collections.abc import Callable
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access import allows
from tandem.access.registry import registered
from tandem.accounts.models import Membership, Role
from tandem.children.models import TeamRole
from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.notes.access import cosign_queue
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.notes.tests.helpers import make_note

pytestmark = pytest.mark.django_db

ClientAs = Callable[[Membership], Client]
NEW_ROLES = [Role.FRONT_DESK, Role.BILLING]
ACTIONS = {
    "notes.view",
    "notes.write",
    "notes.edit_draft",
    "notes.sign",
    "notes.touch",
    "notes.addendum",
    "notes.cosign",
    "notes.send_back",
    "notes.resubmit",
    "notes.cosign_queue",
}


def member_as(world: World, role: str) -> Membership:
    """A new member of the world's clinic in this role (the front desk, billing)."""
    return cast(Membership, f.MembershipFactory(organization=world.org, role=role))


def page(name: str, note: SessionNote) -> str:
    return reverse(f"notes:{name}", args=[note.child_id, note.id])


def api(note: SessionNote, tail: str = "") -> str:
    return f"/api/v1/children/{note.child_id}/notes/{note.id}{tail}"


def send(client: Client, method: str, url: str, body: dict[str, object] | None = None) -> int:
    """Call the API as a JSON client would; return the status."""
    data = json.dumps(body or {})
    return client.generic(method, url, data, content_type="application/json").status_code


@pytest.fixture
def signed(world: World) -> SessionNote:
    return make_note(world.child, world.therapist, sign=True)


@pytest.fixture
def waiting(world: World) -> SessionNote:
    """An assistant's note waiting for the co-signature of their supervisor (world.therapist)."""
    return make_note(world.child, world.assistant, sign=True)


def test_every_action_of_the_app_has_a_rule() -> None:
    assert {name for name in registered() if name.startswith("notes.")} >= ACTIONS


# --- The front desk and billing never see notes ---------------------------------


@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_front_desk_and_billing_find_no_notes_page(
    world: World, client_as: ClientAs, signed: SessionNote, role: str
) -> None:
    client = client_as(member_as(world, role))
    child = world.child.id
    for url in (
        reverse("notes:index", args=[child]),
        reverse("notes:new", args=[child]),
        page("detail", signed),
        page("edit", signed),
        reverse("notes:cosign_queue"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("notes:new", args=[child]), {}).status_code == 404
    for name in ("edit", "sign", "cosign", "addendum", "send_back", "resubmit"):
        assert client.post(page(name, signed), {"text": "x"}).status_code == 404, name


@pytest.mark.parametrize("role", NEW_ROLES)
def test_the_front_desk_and_billing_find_no_notes_in_the_api(
    world: World, client_as: ClientAs, signed: SessionNote, role: str
) -> None:
    client = client_as(member_as(world, role))
    notes = f"/api/v1/children/{world.child.id}/notes"
    for url in (notes, api(signed), "/api/v1/notes/cosign-queue"):
        assert client.get(url).status_code == 404, url
    assert send(client, "POST", notes) == 404
    assert send(client, "PATCH", api(signed), {"version": signed.version}) == 404
    assert send(client, "POST", api(signed, "/addenda"), {"text": "x"}) == 404
    assert send(client, "POST", api(signed, "/resubmit")) == 404


def test_the_scopes_give_the_front_desk_and_billing_no_notes(
    world: World, signed: SessionNote
) -> None:
    for role in NEW_ROLES:
        member = member_as(world, role)
        assert not SessionNote.objects.visible_to(member).exists()
        assert not GoalData.objects.visible_to(member).exists()
        assert not allows(member, "notes.view", obj=signed)


# --- Readers are told they may not write (403); others find nothing (404) --------


def test_a_consulting_therapist_reads_but_cannot_write(
    world: World, client_as: ClientAs, signed: SessionNote
) -> None:
    client = client_as(world.consulting_therapist)
    assert client.get(page("detail", signed)).status_code == 200
    assert client.get(reverse("notes:new", args=[world.child.id])).status_code == 404
    assert client.post(reverse("notes:new", args=[world.child.id]), {}).status_code == 403
    assert client.post(page("addendum", signed), {"text": "x"}).status_code == 403
    assert send(client, "POST", api(signed, "/addenda"), {"text": "x"}) == 403


def test_a_guardian_is_refused_a_write_and_a_collaborator_finds_nothing(
    world: World, client_as: ClientAs, signed: SessionNote
) -> None:
    guardian = client_as(world.guardian)
    assert guardian.post(page("addendum", signed), {"text": "x"}).status_code == 403
    assert send(guardian, "POST", api(signed, "/cosign"), {"version": 1}) == 403
    collaborator = client_as(world.consented_collaborator)
    assert collaborator.get(page("detail", signed)).status_code == 404
    assert send(collaborator, "POST", api(signed, "/addenda"), {"text": "x"}) == 404


# --- The supervisor of the author ------------------------------------------------


def test_the_supervisor_co_signs_and_nobody_else(world: World, waiting: SessionNote) -> None:
    assert allows(world.therapist, "notes.cosign", obj=waiting)
    assert allows(world.therapist, "notes.send_back", obj=waiting)
    for other in (world.admin, world.assistant, world.consulting_therapist, world.guardian):
        assert not allows(other, "notes.cosign", obj=waiting), other
    assert allows(world.assistant, "notes.resubmit", obj=waiting)
    assert not allows(world.therapist, "notes.resubmit", obj=waiting)


def test_a_supervisor_outside_the_editing_seats_still_co_signs_and_adds_addenda(
    world: World, client_as: ClientAs, waiting: SessionNote
) -> None:
    seat = world.child.care_team.get(therapist=world.therapist)
    seat.role = TeamRole.CONSULTING
    seat.save()
    client = client_as(world.therapist)
    detail = client.get(page("detail", waiting)).content.decode()
    assert "Co-sign the note" in detail and "Add addendum" in detail
    response = client.post(page("cosign", waiting), {"version": waiting.version})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == NoteStatus.SIGNED and waiting.cosigned_by == world.therapist


def test_an_editor_not_the_supervisor_hears_the_state_first_then_is_refused(
    world: World, client_as: ClientAs, signed: SessionNote, waiting: SessionNote
) -> None:
    admin = client_as(world.admin)
    # A note not waiting for a co-signature: its state, as for anyone who may act on it.
    assert admin.post(page("cosign", signed), {}).status_code == 409
    assert send(admin, "POST", api(signed, "/resubmit")) == 409
    # A note waiting: co-signing is its author's supervisor's, not an admin's.
    assert admin.post(page("cosign", waiting), {"version": waiting.version}).status_code == 403
    assert send(admin, "POST", api(waiting, "/cosign"), {"version": waiting.version}) == 403
    assert admin.post(page("send_back", waiting), {"comment": "x"}).status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == NoteStatus.AWAITING_COSIGN


def test_only_the_author_changes_or_signs_a_draft(world: World, client_as: ClientAs) -> None:
    draft = make_note(world.child, world.assistant)
    admin = client_as(world.admin)
    assert send(admin, "PATCH", api(draft), {"version": draft.version, "mood": "x"}) == 403
    assert send(admin, "POST", api(draft, "/sign"), {"version": draft.version}) == 403
    assert admin.post(page("sign", draft), {}).status_code == 403
    assert allows(world.assistant, "notes.edit_draft", obj=draft)
    assert not allows(world.therapist, "notes.edit_draft", obj=draft)


# --- Scopes ------------------------------------------------------------------------


def test_visible_to_is_the_clinic_wide_read_of_notes(world: World, signed: SessionNote) -> None:
    draft = make_note(world.child, world.therapist)
    elsewhere = make_note(world.other_child, world.unassigned_therapist, sign=True)
    make_note(world.foreign_child, world.foreign_therapist, sign=True)

    def seen(member: Membership) -> set[SessionNote]:
        return set(SessionNote.objects.visible_to(member))

    assert seen(world.admin) == {signed, draft, elsewhere}
    assert seen(world.therapist) == {signed, draft}
    assert seen(world.unassigned_therapist) == {elsewhere}
    assert seen(world.guardian) == {signed}
    assert seen(world.collaborator) == set()
    assert set(SessionNote.objects.visible_to(world.admin).for_child(world.child)) == {
        signed,
        draft,
    }


def test_the_queue_lists_only_notes_of_children_on_the_supervisors_care_team(
    world: World, waiting: SessionNote
) -> None:
    f.CareTeamMemberFactory(
        child=world.other_child, therapist=world.assistant, role=TeamRole.TREATING
    )
    not_on_team = make_note(world.other_child, world.assistant, sign=True)
    queue = set(cosign_queue(world.therapist))
    assert waiting in queue and not_on_team not in queue
