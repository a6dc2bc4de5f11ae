"""Breaking the glass: a therapist off a child's care team finds the child by exact name and
date of birth, says why, and reads — never changes — the record until the access ends."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tandem.children.actions import archive_child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import EmergencyAccess, EmergencySearch, SearchOutcome

from .helpers import REASON, break_glass

pytestmark = pytest.mark.django_db
NEUTRAL = "No child matches that name and date of birth"


def _reads(child_id: object) -> list[str]:
    return [
        reverse("children:detail", args=[child_id]),
        reverse("children:team", args=[child_id]),
        reverse("plans:index", args=[child_id]),
        reverse("notes:index", args=[child_id]),
        reverse("progress:index", args=[child_id]),
    ]


@pytest.mark.clock
def test_the_record_opens_for_reading_until_the_access_ends(
    world: World, client_as: ClientAs
) -> None:
    member = world.unassigned_therapist
    client = client_as(member)
    child = world.child
    assert all(client.get(url).status_code == 404 for url in _reads(child.id))

    response = break_glass(client, child)
    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", args=[child.id])
    assert [client.get(url).status_code for url in _reads(child.id)] == [200] * 5
    # Read only: the profile and the plan are not theirs to change.
    assert client.get(reverse("children:edit", args=[child.id])).status_code == 403
    edit = client.post(reverse("children:edit", args=[child.id]), {"first_name": "X"})
    assert edit.status_code == 403
    assert client.post(reverse("plans:new", args=[child.id]), {}).status_code == 403

    access = EmergencyAccess.objects.get(member=member, child=child)
    assert access.reason == REASON
    assert access.expires_at - access.started_at == datetime.timedelta(hours=4)
    with time_machine.travel(access.expires_at + datetime.timedelta(minutes=1)):
        later = client_as(member)  # a new sign-in: the old session is long idle
        assert all(later.get(url).status_code == 404 for url in _reads(child.id))


def test_a_wrong_name_or_date_of_birth_opens_nothing_and_lists_nobody(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.unassigned_therapist)
    child = world.child
    wrong_day = (child.date_of_birth + datetime.timedelta(days=1)).isoformat()
    for typed in ({"last_name": "Okafo"}, {"date_of_birth": wrong_day}, {"first_name": "Mia"}):
        response = break_glass(client, child, **typed)
        assert response.status_code == 200
        body = response.content.decode()
        assert NEUTRAL in body
        # Nothing about any child of the clinic: no list, no "did you mean".
        assert not [name for name in ("Eli Okafor", "Noah Berg", "Maya Okafor") if name in body]
    assert not EmergencyAccess.objects.exists()
    assert EmergencySearch.objects.filter(outcome=SearchOutcome.NO_MATCH).count() == 3
    assert client.get(reverse("children:detail", args=[child.id])).status_code == 404


def test_the_search_ignores_letter_case_and_takes_the_preferred_name(
    world: World, client_as: ClientAs
) -> None:
    child = world.child
    child.preferred_name = "Mimi"
    child.save()
    client = client_as(world.unassigned_therapist)
    assert break_glass(client, child, first_name=" mimi ", last_name="OKAFOR").status_code == 302
    assert EmergencyAccess.objects.filter(child=child).count() == 1


def test_another_clinics_child_is_never_found(world: World, client_as: ClientAs) -> None:
    client = client_as(world.unassigned_therapist)
    response = break_glass(client, world.foreign_child)
    assert NEUTRAL in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    foreign = client_as(world.foreign_therapist)
    assert NEUTRAL in break_glass(foreign, world.child).content.decode()
    assert not EmergencyAccess.objects.exists()


def test_an_archived_child_is_not_found(world: World, client_as: ClientAs) -> None:
    archive_child(world.child, expected_version=world.child.version)
    response = break_glass(client_as(world.unassigned_therapist), world.child)
    assert NEUTRAL in response.content.decode()
    assert not EmergencyAccess.objects.exists()


def test_a_reason_is_required(world: World, client_as: ClientAs) -> None:
    client = client_as(world.unassigned_therapist)
    for reason in ("", "emergency", " " * 40):
        response = break_glass(client, world.child, reason=reason)
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
    assert not EmergencyAccess.objects.exists()
    assert not EmergencySearch.objects.exists()  # no search without a reason


@pytest.mark.parametrize(
    "persona",
    ["admin", "guardian", "other_guardian", "consented_collaborator", "front_desk", "billing"],
)
def test_only_therapists_break_the_glass(world: World, client_as: ClientAs, persona: str) -> None:
    client = client_as(getattr(world, persona))
    assert client.get(reverse("breakglass:open")).status_code == 404
    assert break_glass(client, world.other_child).status_code == 404
    assert not EmergencyAccess.objects.exists()
    assert not EmergencySearch.objects.exists()


def test_an_assistant_may_break_the_glass(world: World, client_as: ClientAs) -> None:
    client = client_as(world.assistant)
    assert break_glass(client, world.other_child).status_code == 302
    assert client.get(reverse("children:detail", args=[world.other_child.id])).status_code == 200


def test_someone_on_the_team_needs_no_grant(world: World, client_as: ClientAs) -> None:
    client = client_as(world.consulting_therapist)
    response = break_glass(client, world.child)
    assert response["Location"] == reverse("children:detail", args=[world.child.id])
    assert not EmergencyAccess.objects.exists()


def test_breaking_the_glass_twice_keeps_one_grant(world: World, client_as: ClientAs) -> None:
    client = client_as(world.unassigned_therapist)
    break_glass(client, world.child)
    break_glass(client, world.child, reason="Second time, the same emergency, still going.")
    assert EmergencyAccess.objects.filter(child=world.child).count() == 1


def test_searching_is_limited_and_kept_for_the_admins(world: World, client_as: ClientAs) -> None:
    client = client_as(world.unassigned_therapist)
    for n in range(5):
        break_glass(client, world.child, last_name=f"Nobody{n}")
    response = break_glass(client, world.child)  # right this time, but too late
    assert "too many times" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    queue = client_as(world.admin).get(reverse("breakglass:queue"))
    body = queue.content.decode()
    assert "Nobody0" in body and "Nobody4" in body and "Refused: too many searches" in body


def test_ending_now_closes_the_record(world: World, client_as: ClientAs) -> None:
    member = world.unassigned_therapist
    client = client_as(member)
    break_glass(client, world.child)
    access = EmergencyAccess.objects.get()
    mine = client.get(reverse("breakglass:open"))
    assert "Maya Okafor" in mine.content.decode() and "End now" in mine.content.decode()

    colleague = client_as(world.therapist)
    assert colleague.post(reverse("breakglass:end"), {"access": access.id}).status_code == 404
    assert client.post(reverse("breakglass:end"), {"access": access.id}).status_code == 302
    access.refresh_from_db()
    assert access.ended_at is not None and access.ended_by == member
    assert client.get(reverse("children:detail", args=[world.child.id])).status_code == 404
    # Ending it again changes nothing.
    assert client.post(reverse("breakglass:end"), {"access": access.id}).status_code == 302
    assert access.history.count() == 2
