"""The public referral form and the family's status page, through the pages (no sign-in)."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from tandem.conftest import World
from tandem.intake.links import read_token, token_for
from tandem.intake.models import Referral, ReferralStatus
from tandem.intake.tests.helpers import make_referral

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def form_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "child_first_name": "Lucas",
        "child_last_name": "Moreno",
        "date_of_birth": "2023-09-02",
        "sex": "M",
        "concerns": ["communication", "social"],
        "concerns_detail": "Dice muy pocas palabras.",
        "disciplines": ["slp"],
        "referrer": "parent",
        "contact_name": "Elena Moreno",
        "relationship": "mother",
        "contact_email": "elena.moreno@mail.example",
        "contact_phone": "555-0100",
        "language": "es",
        "availability": ["tue_am", "thu_pm"],
        "funding": "medicaid",
        "website": "",
    }
    data.update(changes)
    return data


def spanish() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="es")


def test_a_family_refers_in_spanish_and_reads_where_it_stands(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client = spanish()
    url = reverse("intake:refer", args=[world.org.pk])
    page = client.get(url).content.decode()
    assert "¿Qué le preocupa?" in page and 'lang="es"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())
    referral = Referral.objects.get(organization=world.org)
    assert referral.status == ReferralStatus.NEW and referral.language == "es"
    assert referral.concerns == ["communication", "social"]
    assert referral.availability == ["tue_am", "thu_pm"]
    # The page thanks them; the private link goes only to the address they gave.
    assert response.status_code == 200
    assert "elena.moreno@mail.example" in response.content.decode()
    assert "/intake/status/" not in response.content.decode()
    [email] = mail.outbox
    assert email.to == ["elena.moreno@mail.example"]
    link = re.search(r"/intake/status/[^/\s]+/", str(email.body))
    assert "recibió" in email.subject and link is not None
    token = link.group().rstrip("/").rsplit("/", 1)[-1]
    assert read_token(token) == (world.org.pk, referral.pk)
    assert "Tenemos su referencia." in client.get(link.group()).content.decode()
    # Sent twice (a double click): one referral, one email.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, form_data())
    assert Referral.objects.count() == 1 and len(mail.outbox) == 1


def test_bad_input_is_refused_with_a_message_and_nothing_saved(world: World) -> None:
    url = reverse("intake:refer", args=[world.org.pk])
    response = Client().post(url, form_data(concerns=[], date_of_birth="2099-01-01"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose at least one thing you are worried about." in body
    assert "The date of birth cannot be in the future." in body
    assert not Referral.objects.exists()


def test_a_robot_filling_the_hidden_field_is_thanked_and_forgotten(world: World) -> None:
    url = reverse("intake:refer", args=[world.org.pk])
    response = Client().post(url, form_data(website="http://spam.example"))
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    assert not Referral.objects.exists()


def test_one_address_sends_at_most_five_an_hour(world: World) -> None:
    url = reverse("intake:refer", args=[world.org.pk])
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.post(url, form_data(concerns=[])).status_code == 400  # a typo: not counted
    for n in range(5):
        assert client.post(url, form_data(child_first_name=f"Kid{n}")).status_code == 200
    response = client.post(url, form_data(child_first_name="Sixth"))
    assert response.status_code == 429
    assert "Try again in an hour" in response.content.decode()
    assert Referral.objects.count() == 5
    # Another address is not held back.
    other = Client(REMOTE_ADDR="203.0.113.10")
    assert other.post(url, form_data(child_first_name="Sixth")).status_code == 200


def test_an_unknown_clinic_or_a_forged_link_is_not_there(world: World) -> None:
    client = Client()
    assert client.get(reverse("intake:refer", args=["not-a-clinic"])).status_code == 404
    referral = make_referral(world.org)
    token = token_for(world.org.pk, referral.pk)
    assert client.get(reverse("intake:status", args=[token[:-2] + "xx"])).status_code == 404
    # A link naming the referral under another clinic is refused too.
    forged = token_for(world.foreign_org.pk, referral.pk)
    assert client.get(reverse("intake:status", args=[forged])).status_code == 404


def test_the_family_answers_the_clinics_question(world: World) -> None:
    from tandem.intake import actions

    referral = make_referral(world.org)
    actions.ask_for_information(
        referral, world.front_desk, expected_version=referral.version, question="Which school?"
    )
    url = reverse("intake:status", args=[token_for(world.org.pk, referral.pk)])
    client = Client()
    assert "Which school?" in client.get(url).content.decode()
    empty = client.post(url, {"action": "answer", "reply": "  "})
    assert empty.status_code == 400 and "Write your answer." in empty.content.decode()
    assert client.post(url, {"action": "answer", "reply": "Lincoln Elementary"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NEW and referral.family_reply == "Lincoln Elementary"


def test_the_status_page_shows_only_the_childs_first_name(world: World) -> None:
    referral = make_referral(world.org)
    body = Client().get(reverse("intake:status", args=[token_for(world.org.pk, referral.pk)]))
    text = re.sub(r"<[^>]+>", " ", body.content.decode())
    assert "Lucas" in text and "Moreno" not in text
