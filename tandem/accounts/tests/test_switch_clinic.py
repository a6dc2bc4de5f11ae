"""Someone in two clinics acts in the one they joined last, and switches between them."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.conftest import World
from tandem.core.testing.text import found
from tandem.core.testing.types import ClientAs

PEOPLE = reverse("accounts:people")
SWITCH = reverse("accounts:switch_clinic")


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def join_lakeside_as_admin(world: World, client_as: ClientAs) -> Client:
    """Lakeside invites Riverside's therapist as an admin; they accept, signed in."""
    client_as(world.foreign_admin).post(
        reverse("accounts:invite"),
        {
            "email": world.therapist.user.email,
            "first_name": "Made",
            "last_name": "Up",
            "role": Role.ADMIN,
            "language": "en",
        },
    )
    link = found(r"/accounts/invitation/[^/\s]+/", mail.outbox[-1].body).group(0)
    person = client_as(world.therapist)
    assert person.get(PEOPLE).status_code == 404  # a therapist at Riverside
    assert person.post(link).status_code == 302
    return person


def test_after_joining_a_second_clinic_the_person_acts_there(
    world: World, client_as: ClientAs
) -> None:
    person = join_lakeside_as_admin(world, client_as)
    people = person.get(PEOPLE)
    assert people.status_code == 200
    body = people.content.decode()
    assert world.foreign_admin.user.email in body
    assert world.admin.user.email not in body


def test_switching_back_and_forth_between_ones_clinics(world: World, client_as: ClientAs) -> None:
    person = join_lakeside_as_admin(world, client_as)
    settings_page = person.get(reverse("accounts:preferences")).content.decode()
    riverside_name, lakeside_name = (
        world.admin.organization.name,
        world.foreign_admin.organization.name,
    )
    assert riverside_name in settings_page and lakeside_name in settings_page
    riverside = world.therapist
    assert person.post(SWITCH, {"membership": str(riverside.id)}).status_code == 302
    assert person.get(PEOPLE).status_code == 404  # a therapist again
    lakeside = world.therapist.user.membership_set.get(
        organization_id=world.foreign_admin.organization_id
    )
    person.post(SWITCH, {"membership": str(lakeside.id)})
    assert person.get(PEOPLE).status_code == 200


def test_someone_elses_membership_cannot_be_chosen(world: World, client_as: ClientAs) -> None:
    person = join_lakeside_as_admin(world, client_as)
    for forged in (str(world.admin.id), str(world.foreign_admin.id), "not-an-id"):
        response = person.post(SWITCH, {"membership": forged})
        assert response["Location"] == reverse("accounts:preferences")  # ignored
        assert person.get(PEOPLE).status_code == 200  # still Lakeside's admin
    # Not even by writing the session directly: the middleware checks it every time.
    session = person.session
    session["tandem_membership"] = str(world.admin.id)
    session.save()
    assert person.get(PEOPLE).status_code == 404  # back to their first clinic, as therapist
    assert (
        world.admin.user.email not in person.get(reverse("accounts:preferences")).content.decode()
    )


def test_one_clinic_shows_no_switcher(world: World, client_as: ClientAs) -> None:
    page = client_as(world.therapist).get(reverse("accounts:preferences")).content.decode()
    assert "Switch clinic" not in page
