"""The reason for breaking the glass: required, words someone can judge, not a book; and
shown as text — never markup — wherever it is read (the banner, the holder's list, the
review queue and page, the alert)."""

import pytest
from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.emergency.models import MAX_REASON, EmergencyAccess, EmergencySearch
from tandem.notifications.models import Kind, Notification
from tandem.security_tests.test_xss_corpus import PAYLOADS, live_markup

from .helpers import break_glass

pytestmark = pytest.mark.django_db
TOO_SHORT = "in at least 15 characters"


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("", TOO_SHORT),
        (" \n\t " * 10, TOO_SHORT),
        ("urgent", TOO_SHORT),
        ("." * 40, TOO_SHORT),
        ("!? " * 20, TOO_SHORT),
        ("Seizure at home. " * 100, f"under {MAX_REASON} characters"),
        ("A\x00 seizure during home practice", "Null characters are not allowed"),
    ],
)
def test_a_reason_that_says_nothing_or_too_much_is_refused(
    world: World, client_as: ClientAs, reason: str, said: str
) -> None:
    response = break_glass(client_as(world.unassigned_therapist), world.child, reason=reason)
    assert response.status_code == 200
    assert said in " ".join(response.context["form"].errors["reason"])
    assert said in response.content.decode()  # said on the page, by the field
    assert not EmergencyAccess.objects.exists() and not EmergencySearch.objects.exists()
    assert not Notification.objects.filter(kind=Kind.EMERGENCY_ACCESS).exists()


def test_the_reason_is_text_wherever_it_is_read(world: World, client_as: ClientAs) -> None:
    reason = "Seizure at home\n" + "\n".join(PAYLOADS[:12])
    holder = client_as(world.unassigned_therapist)
    assert break_glass(holder, world.child, reason=reason).status_code == 302
    access = EmergencyAccess.objects.get()
    assert access.reason == reason
    admin, lead = client_as(world.admin), client_as(world.therapist)
    pages = {
        "banner": holder.get(reverse("children:detail", args=[world.child.id])),
        "holder's list": holder.get(reverse("breakglass:open")),
        "queue": admin.get(reverse("breakglass:queue")),
        "review": admin.get(reverse("breakglass:review", args=[access.id])),
        "admin's alert": admin.get(reverse("notifications:index")),
        "lead's alert": lead.get(reverse("notifications:index")),
    }
    for where, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, where
        assert "Seizure at home" in html, where
        assert live_markup(html) == [], where
    assert api_reason(client_as, world) == reason


def api_reason(client_as: ClientAs, world: World) -> str:
    items = client_as(world.admin).get("/api/v1/emergency-access").json()["items"]
    return str(items[0]["reason"])
