"""The API tokens page: staff make, see and revoke their own tokens; nobody else's."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import ApiToken, hash_secret

URL = "/accounts/tokens/"


def revoke_url(token: ApiToken) -> str:
    return reverse("accounts:revoke_token", args=[token.id])


def a_token(membership, name: str = "Script") -> ApiToken:  # type: ignore[no-untyped-def]
    raw, digest = ApiToken.new_token()
    return ApiToken.objects.create(
        membership=membership, name=name, prefix=raw[:12], token_hash=digest
    )


def test_the_page_is_where_the_settings_link_points():
    assert reverse("accounts:tokens") == URL


@pytest.mark.parametrize("persona", ["admin", "therapist"])
def test_staff_make_a_token_and_see_its_secret_once(world, client_as, persona):
    member = getattr(world, persona)
    client = client_as(member)
    response = client.post(URL, {"name": "Reporting script"})
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


def test_the_new_token_opens_the_api(world, client_as):
    raw = client_as(world.therapist).post(URL, {"name": "Script"}).context["new_token"]
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["membership"]["id"] == str(world.therapist.id)


def test_a_token_needs_a_name(world, client_as):
    response = client_as(world.therapist).post(URL, {"name": "  "})
    assert response.status_code == 200
    assert response.context["new_token"] is None
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_the_list_shows_only_my_tokens(world, client_as):
    a_token(world.therapist, "Mine")
    a_token(world.admin, "The admin's")
    a_token(world.foreign_therapist, "Lakeside's")
    body = client_as(world.therapist).get(URL).content.decode()
    assert "Mine" in body
    assert "The admin&#x27;s" not in body and "The admin's" not in body
    assert "Lakeside" not in body


@pytest.mark.parametrize("persona", ["guardian", "collaborator"])
def test_guardians_and_collaborators_cannot_get_a_token(world, client_as, persona):
    """The page is not there for them (404), and a POST makes nothing."""
    client = client_as(getattr(world, persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"name": "Sneaky"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(db):
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_revoking_my_token_stops_it_at_once(world, client_as):
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


def test_revoking_twice_keeps_the_first_time(world, client_as):
    token = a_token(world.therapist)
    client = client_as(world.therapist)
    client.post(revoke_url(token))
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    client.post(revoke_url(token))
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first


@pytest.mark.parametrize("owner", ["admin", "foreign_therapist"])
def test_nobody_revokes_someone_elses_token(world, client_as, owner):
    token = a_token(getattr(world, owner))
    assert client_as(world.therapist).post(revoke_url(token)).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_even_an_admin_cannot_revoke_a_colleagues_token(world, client_as):
    token = a_token(world.therapist)
    assert client_as(world.admin).post(revoke_url(token)).status_code == 404


def test_revoke_is_post_only(world, client_as):
    token = a_token(world.therapist)
    assert client_as(world.therapist).get(revoke_url(token)).status_code == 405
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
