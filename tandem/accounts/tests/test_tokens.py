"""The API tokens page: staff make, see and revoke their own tokens; nobody else's."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from tandem.accounts.models import ApiToken, Membership, TokenScope, hash_secret
from tandem.api.tests.conftest import Api, bearer, make_token
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.types import ClientAs

URL = "/accounts/tokens/"


def form(name: str, scope: str = "read", days: int = 90) -> dict:
    return {"name": name, "scope": scope, "days": days}


def revoke_url(token: ApiToken) -> str:
    return reverse("accounts:revoke_token", args=[token.id])


def a_token(membership: Membership, name: str = "Script") -> ApiToken:
    raw, digest = ApiToken.new_token()
    return ApiToken.objects.create(
        membership=membership, name=name, prefix=raw[:12], token_hash=digest
    )


def test_the_page_is_where_the_settings_link_points() -> None:
    assert reverse("accounts:tokens") == URL


@pytest.mark.parametrize("persona", ["admin", "therapist"])
def test_staff_make_a_token_and_see_its_secret_once(
    world: World, client_as: ClientAs, persona: str
) -> None:
    member = getattr(world, persona)
    client = client_as(member)
    response = client.post(URL, form("Reporting script"))
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("tdm_")
    assert raw in response.content.decode()
    token = ApiToken.objects.get(membership=member)
    assert (token.name, token.prefix, token.token_hash) == (
        "Reporting script",
        raw[:12],
        hash_secret(raw),
    )
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    later = client.get(URL).content.decode()
    assert "Reporting script" in later
    assert raw not in later


def test_the_new_token_opens_the_api(world: World, client_as: ClientAs) -> None:
    raw = client_as(world.therapist).post(URL, form("Script")).context["new_token"]
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["membership"]["id"] == str(world.therapist.id)


def test_a_token_needs_a_name(world: World, client_as: ClientAs) -> None:
    response = client_as(world.therapist).post(URL, form("  "))
    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_my_tokens(world: World, client_as: ClientAs) -> None:
    a_token(world.therapist, "Mine")
    a_token(world.admin, "The admin's")
    a_token(world.foreign_therapist, "Lakeside's")
    body = client_as(world.therapist).get(URL).content.decode()
    assert "Mine" in body
    assert "The admin&#x27;s" not in body and "The admin's" not in body
    assert "Lakeside" not in body


@pytest.mark.parametrize("persona", ["guardian", "collaborator"])
def test_guardians_and_collaborators_cannot_get_a_token(
    world: World, client_as: ClientAs, persona: str
) -> None:
    """The page is not there for them (404), and a POST makes nothing."""
    client = client_as(getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, form("Sneaky")).status_code == 404
    assert not ApiToken.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_revoking_my_token_stops_it_at_once(world: World, client_as: ClientAs) -> None:
    raw, digest = ApiToken.new_token()
    token = ApiToken.objects.create(
        membership=world.therapist, name="Old", prefix=raw[:12], token_hash=digest
    )
    response = client_as(world.therapist).post(revoke_url(token))
    assert response.status_code == 302
    assert response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401


def test_revoking_twice_keeps_the_first_time(world: World, client_as: ClientAs) -> None:
    token = a_token(world.therapist)
    client = client_as(world.therapist)
    client.post(revoke_url(token))
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    client.post(revoke_url(token))
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


@pytest.mark.parametrize("owner", ["admin", "foreign_therapist"])
def test_nobody_revokes_someone_elses_token(world: World, client_as: ClientAs, owner: str) -> None:
    token = a_token(getattr(world, owner))
    assert client_as(world.therapist).post(revoke_url(token)).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_even_an_admin_cannot_revoke_a_colleagues_token(world: World, client_as: ClientAs) -> None:
    token = a_token(world.therapist)
    assert client_as(world.admin).post(revoke_url(token)).status_code == 404


def test_revoke_is_post_only(world: World, client_as: ClientAs) -> None:
    token = a_token(world.therapist)
    assert client_as(world.therapist).get(revoke_url(token)).status_code == 405
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- Scope, expiry, and the end of a token -------------------------------------------


def api(raw: str) -> Api:
    return Api(Client(), bearer(raw))


def test_a_read_only_token_reads_but_cannot_change_anything(
    world: World, client_as: ClientAs
) -> None:
    raw = client_as(world.therapist).post(URL, form("Report", scope="read")).context["new_token"]
    assert ApiToken.objects.get().scope == TokenScope.READ
    reader = api(raw)
    assert reader.get(f"/children/{world.child.id}").status_code == 200
    response = reader.patch(f"/children/{world.child.id}", {"version": 1, "school": "Oak"})
    assert response.status_code == 403
    assert response.json()["detail"] == "This API token may only read."
    world.child.refresh_from_db()
    assert world.child.school == ""
    # An outsider's child is still simply not there.
    assert reader.patch(f"/children/{world.foreign_child.id}", {"version": 1}).status_code == 404


def test_a_read_and_change_token_changes_what_its_member_may(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.therapist)
    raw = client.post(URL, form("Sync", scope="read_write")).context["new_token"]
    response = api(raw).patch(f"/children/{world.child.id}", {"version": 1, "school": "Oak"})
    assert response.status_code == 200


def test_the_form_offers_read_only_and_the_clinics_lifetime_first(
    world: World, client_as: ClientAs, settings: Settings
) -> None:
    settings.TANDEM_API_TOKEN_DAYS = 30
    page = client_as(world.therapist).get(URL)
    fields = page.context["form"].fields
    assert fields["scope"].initial == TokenScope.READ
    assert [days for days, _label in fields["days"].choices] == [7, 30]
    assert fields["days"].initial == 30
    refused = client_as(world.therapist).post(URL, form("Long", days=365))
    assert refused.context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_a_token_expires(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    before = timezone.now()
    raw = client.post(URL, form("Week", days=7)).context["new_token"]
    token = ApiToken.objects.get()
    assert before + timedelta(days=7) <= token.expires_at <= timezone.now() + timedelta(days=7)
    assert api(raw).get("/me").status_code == 200
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save()
    response = api(raw).get("/me")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert "Expired" in client.get(URL).content.decode()


def test_changing_the_password_ends_every_token(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    raw = client.post(URL, form("Script")).context["new_token"]
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase",
            "password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert api(raw).get("/me").status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


def test_a_password_set_any_other_way_ends_the_tokens_too(world: World) -> None:
    raw = make_token(world.admin)
    user = world.admin.user
    user.set_password("set-by-a-script-123")
    user.save()
    assert api(raw).get("/me").status_code == 401


def test_signing_in_again_does_not_end_tokens(world: World) -> None:
    raw = make_token(world.therapist)
    user = world.therapist.user
    user.first_name = "Renamed"
    user.save()
    assert api(raw).get("/me").status_code == 200


def test_removing_the_authenticator_ends_every_token(world: World, client_as: ClientAs) -> None:
    TOTP.activate(world.therapist.user, pyotp.random_base32())
    raw = make_token(world.therapist)
    other = make_token(world.admin)
    Authenticator.objects.filter(user=world.therapist.user).delete()  # e.g. an MFA reset
    assert api(raw).get("/me").status_code == 401
    assert api(other).get("/me").status_code == 200


def test_staff_without_an_authenticator_cannot_make_tokens_or_invite(world: World) -> None:
    client = Client()
    client.force_login(world.admin.user)  # signed in, no authenticator app yet
    for path in (URL, reverse("accounts:people"), reverse("accounts:invite")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    client.post(URL, form("Sneaky"))
    assert not ApiToken.objects.exists()
    # Setting up MFA, the password pages and signing out stay open.
    assert client.get(reverse("account_change_password")).status_code == 200
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200 or "reauthenticate" in setup["Location"]
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_a_tokens_fhir_access_is_optional_and_labelled(world: World, client_as: ClientAs) -> None:
    """Blank FHIR access is all the role allows (tandem/fhir/tests/test_token_scopes.py)."""
    client = client_as(world.therapist)
    body = client.get(URL).content.decode()
    assert 'name="fhir_scopes"' in body and "FHIR access (optional)" in body
    assert client.post(URL, form("Script")).context["new_token"]
    assert ApiToken.objects.get().fhir_scopes == ""
    assert "All your role allows" in client.get(URL).content.decode()
