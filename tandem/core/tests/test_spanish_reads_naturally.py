"""What people read reads naturally in both languages: ages in proper plurals, Spanish
dates ("martes 8 de diciembre"), the strategies' line breaks on a teacher's page, and the
sign-in message in the person's own language."""

import datetime
import re
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.appointments.tests.helpers import clinic_time, clinic_today, make_appointment
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import PASSWORD
from tandem.core.testing.types import ClientAs
from tandem.progress.tests.helpers import make_goal, make_plan

pytestmark = pytest.mark.django_db

MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]
WEEKDAYS_ES = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def _speaking(member: Membership, language: str) -> Membership:
    member.user.language = language
    member.user.save(update_fields=["language"])
    return member


def _born(child: Child, years: int, months: int) -> None:
    """Make the child exactly ``years`` and ``months`` old today (born on the 1st)."""
    today = clinic_today(child)
    total = today.year * 12 + today.month - 1 - (years * 12 + months)
    child.date_of_birth = datetime.date(total // 12, total % 12 + 1, 1)
    child.save(update_fields=["date_of_birth"])


@pytest.mark.parametrize(
    ("years", "months", "language", "text"),
    [
        (6, 1, "en", "6 years 1 month"),
        (6, 1, "es", "6 años 1 mes"),
        (1, 2, "en", "1 year 2 months"),
        (1, 2, "es", "1 año 2 meses"),
        (0, 11, "es", "11 meses"),
    ],
)
def test_an_age_reads_in_proper_plurals(
    world: World, client_as: ClientAs, years: int, months: int, language: str, text: str
) -> None:
    _born(world.child, years, months)
    client = client_as(_speaking(world.therapist, language))
    body = client.get(reverse("children:detail", args=[world.child.id])).content.decode()
    assert text in body
    assert not re.search(r"(?<!\d)1 (years|months|años|meses)\b", body)


def test_a_spanish_appointment_reads_weekday_day_de_month(
    world: World, client_as: ClientAs
) -> None:
    day = clinic_today(world.child) + datetime.timedelta(days=3)
    make_appointment(world.child, world.therapist, clinic_time(world.child, day, 16, 30))
    body = client_as(_speaking(world.guardian, "es")).get(reverse("homeprogram:family_home"))
    expected = f"{WEEKDAYS_ES[day.weekday()]} {day.day} de {MONTHS_ES[day.month - 1]}, 16:30"
    assert expected in body.content.decode()


def test_a_spanish_appointment_names_its_weekday_as_a_heading(
    world: World, client_as: ClientAs
) -> None:
    day = clinic_today(world.child) + datetime.timedelta(days=9)
    make_appointment(world.child, world.therapist, clinic_time(world.child, day, 16, 0))
    body = client_as(_speaking(world.guardian, "es")).get(reverse("appointments:family"))
    weekday = WEEKDAYS_ES[day.weekday()].capitalize()
    when = f"{day.day} de {MONTHS_ES[day.month - 1]} de {day.year}"
    assert f"<strong>{weekday}</strong>, {when}" in body.content.decode()


def test_a_spanish_plan_reads_day_de_month_de_year(world: World, client_as: ClientAs) -> None:
    plan = make_plan(world.child, world.therapist, start_date=datetime.date(2020, 12, 8))
    make_goal(plan, target_date=datetime.date(2021, 6, 30))
    body = client_as(_speaking(world.guardian, "es")).get(
        reverse("plans:detail", args=[world.child.id, plan.id])
    )
    text = body.content.decode()
    assert "8 de diciembre de 2020" in text
    assert "junio de 2021" in text


def test_a_teacher_sees_the_strategies_line_by_line(world: World, client_as: ClientAs) -> None:
    plan = make_plan(world.child, world.therapist)
    make_goal(plan, strategies="Visual timer\nFirst-then board\n<b>Movement breaks</b>")
    body = client_as(world.consented_collaborator).get(
        reverse("collaborators:child", args=[world.child.id])
    )
    assert "Visual timer<br>First-then board<br>&lt;b&gt;Movement breaks&lt;/b&gt;" in (
        body.content.decode()
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [("es", "Ha iniciado sesión exitosamente como"), ("en", "Successfully signed in as")],
)
def test_the_sign_in_message_is_in_the_persons_language(
    world: World, language: str, message: str
) -> None:
    cache.clear()  # sign-in rate limits
    _speaking(world.guardian, language)
    client = Client(headers={"accept-language": "en" if language == "es" else "es"})
    response = client.post(
        reverse("account_login"),
        {"login": world.guardian.user.email, "password": PASSWORD},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any(message in m for m in shown), shown


def test_every_named_date_format_is_written_in_every_language() -> None:
    names = {
        code: {
            name for name in dir(import_module(f"tandem.formats.{code}.formats")) if name.isupper()
        }
        for code, _name in settings.LANGUAGES
    }
    assert names["en"] and all(found == names["en"] for found in names.values())
