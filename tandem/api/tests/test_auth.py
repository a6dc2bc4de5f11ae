"""Signing in to the API: the browser session, personal tokens for staff, and refusals."""

import datetime

from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken
from tandem.api.tests.conftest import Api, ApiAs, bearer, make_token
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def test_signed_out_callers_get_401_json(world: World, anonymous: Api) -> None:
    for path in ("/me", "/children", f"/children/{world.child.id}"):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert response.json() == {"detail": "Unauthorized"}


def test_session_acts_as_the_signed_in_membership(world: World, api_as: ApiAs) -> None:
    body = api_as(world.guardian).get("/me").json()
    assert body["membership"]["id"] == str(world.guardian.id)
    assert body["membership"]["role"] == "guardian"


def test_token_acts_as_its_staff_member(world: World, api_as: ApiAs) -> None:
    body = api_as(world.therapist, token=True).get("/me").json()
    assert body["membership"]["id"] == str(world.therapist.id)
    assert body["user"]["email"] == world.therapist.user.email


def test_token_reads_only_what_its_member_may_see(world: World, api_as: ApiAs) -> None:
    api = api_as(world.therapist, token=True)
    assert api.get(f"/children/{world.child.id}").status_code == 200
    assert api.get(f"/children/{world.other_child.id}").status_code == 404


def test_token_use_is_recorded_at_most_once_a_minute(world: World) -> None:
    raw = make_token(world.therapist)
    api = Api(Client(), bearer(raw))
    api.get("/me")
    first = ApiToken.objects.get(membership=world.therapist).last_used_at
    assert first is not None
    api.get("/me")
    assert ApiToken.objects.get(membership=world.therapist).last_used_at == first


def test_token_used_over_a_minute_ago_is_stamped_again(world: World) -> None:
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    raw = make_token(world.therapist, last_used_at=long_ago)
    Api(Client(), bearer(raw)).get("/me")
    used = ApiToken.objects.get(membership=world.therapist).last_used_at
    assert used is not None and used > long_ago


def test_revoked_token_is_401(world: World) -> None:
    raw = make_token(world.admin, revoked_at=timezone.now())
    response = Api(Client(), bearer(raw)).get("/children")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_unknown_token_is_401_even_beside_a_valid_session(
    world: World, client_as: ClientAs
) -> None:
    api = Api(client_as(world.admin), bearer("tdm_not-a-real-token"))
    assert api.get("/me").status_code == 401


def test_token_of_an_inactive_membership_is_401(world: World) -> None:
    raw = make_token(world.therapist)
    world.therapist.is_active = False
    world.therapist.save()
    assert Api(Client(), bearer(raw)).get("/me").status_code == 401


def test_token_of_a_deactivated_user_is_401(world: World) -> None:
    raw = make_token(world.therapist)
    world.therapist.user.is_active = False
    world.therapist.user.save()
    assert Api(Client(), bearer(raw)).get("/me").status_code == 401


def test_token_made_for_a_guardian_is_refused(world: World) -> None:
    """Tokens are for staff; one made for a guardian by other means opens nothing."""
    raw = make_token(world.guardian)
    assert Api(Client(), bearer(raw)).get("/me").status_code == 401


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin.user)
    session = client.session
    session["tandem_mfa_confirmed"] = True
    session.save()
    response = Api(client).patch(f"/children/{world.child.id}", {"version": 1, "school": "Oak"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert Child.objects.get(pk=world.child.pk).school == ""


def test_token_writes_need_no_csrf_token(world: World) -> None:
    api = Api(Client(enforce_csrf_checks=True), bearer(make_token(world.therapist)))
    response = api.patch(f"/children/{world.child.id}", {"version": 1, "school": "Oak"})
    assert response.status_code == 200


def test_staff_session_without_an_authenticator_app_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.therapist.user)  # no TOTP set up, MFA not confirmed
    assert Api(client).get("/children").status_code == 403


def test_changes_through_a_token_are_recorded_with_the_user(world: World, api_as: ApiAs) -> None:
    api = api_as(world.therapist, token=True)
    assert (
        api.patch(f"/children/{world.child.id}", {"version": 1, "school": "Oak"}).status_code == 200
    )
    latest = Child.history.filter(id=world.child.id).latest("history_date")
    assert latest.history_user == world.therapist.user
    assert latest.school == "Oak"
