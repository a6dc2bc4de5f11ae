"""Each person picks their language; guardians read Tandem in English or Spanish."""

from django.test import Client
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.types import ClientAs


def test_guardian_switches_to_spanish(world: World, client_as: ClientAs) -> None:
    client = client_as(world.guardian)
    response = client.post(
        reverse("accounts:preferences"),
        {"first_name": "Ana", "last_name": "O", "language": "es"},
        follow=True,
    )
    assert "Se guardaron sus ajustes." in response.content.decode()
    world.guardian.user.refresh_from_db()
    assert world.guardian.user.language == "es"
    body = client.get(reverse("homeprogram:family_home")).content.decode()
    assert 'lang="es"' in body
    assert "Mis hijos" in body


def test_unknown_language_is_refused(world: World, client_as: ClientAs) -> None:
    response = client_as(world.guardian).post(
        reverse("accounts:preferences"), {"first_name": "Ana", "last_name": "O", "language": "xx"}
    )
    assert "Select a valid choice" in response.content.decode()


def test_one_tap_language_switch_returns_to_the_same_page(
    world: World, client_as: ClientAs
) -> None:
    client = client_as(world.guardian)
    page = reverse("children:detail", args=[world.child.id])
    response = client.post(reverse("accounts:language"), {"language": "es", "next": page})
    assert response["Location"] == page
    world.guardian.user.refresh_from_db()
    assert world.guardian.user.language == "es"


def test_language_switch_never_redirects_off_site(world: World, client_as: ClientAs) -> None:
    response = client_as(world.guardian).post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_signed_out_visitors_can_switch_language_too(client: Client, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/login/"})
    assert response.status_code == 302
    body = client.get("/accounts/login/").content.decode()
    assert 'lang="es"' in body
