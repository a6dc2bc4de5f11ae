"""No family, teacher or child-mode page of the demo clinics shows a goal's clinical
statement, whole or in part (``clinical_text``): each demo guardian and collaborator is
signed in and every page they reach from their home is read, child mode too.

The demo is built once for this module (``manage.py demo_clinic``) and rolled back after.
"""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from tandem.accounts.models import Membership, Role
from tandem.children.models import GuardianLink
from tandem.conftest import sign_in
from tandem.notes.models import GoalData, SessionNote
from tandem.plans.models import Goal

from .clinical_text import ClinicalText, pages

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]
NOTE_TEXT = ("subjective", "objective", "assessment", "plan_next", "activities")


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_clinic", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _clinical() -> ClinicalText:
    """The demo's clinical statements; what its signed notes say is read by families on
    purpose ("Walking on his own: 12 steps in a row without support")."""
    notes = SessionNote.objects.filter(signed_at__isnull=False).values_list(*NOTE_TEXT)
    comments = GoalData.objects.exclude(comment="").values_list("comment", flat=True)
    shown = [text for row in notes for text in row] + list(comments)
    return ClinicalText(Goal.objects.all(), shown)


def _read(client: Client, start: list[str], clinical: ClinicalText) -> tuple[set[str], list[str]]:
    seen, leaks = set(), []
    for url, body in pages(client, start):
        seen.add(url.split("?")[0])
        leaks += [f"{url}: {leak}" for leak in clinical.leaks(body)]
    return seen, leaks


def test_the_check_finds_a_statement_shown_whole_cut_short_or_in_part() -> None:
    goal = Goal.objects.exclude(statement="").first()
    assert goal is not None
    clinical = _clinical()
    words = goal.statement.split()
    assert clinical.leaks(f"<p>{goal.statement}</p>")
    assert clinical.leaks(f"<h3>{goal.statement[:45]}…</h3>")  # cut short (truncatechars)
    assert clinical.leaks(f'<span aria-label="{" ".join(words[2:9])}"></span>')  # a part
    assert not clinical.leaks(f"<p>{goal.family_wording_en}</p><p>{goal.gas_0}</p>")


@pytest.mark.parametrize("role", [Role.GUARDIAN, Role.COLLABORATOR])
def test_no_family_or_teacher_page_shows_clinical_text(role: str) -> None:
    clinical = _clinical()
    people = Membership.objects.filter(role=role, is_active=True).select_related("user")
    assert people.exists()
    reached: set[str] = set()
    leaks: list[str] = []
    for person in people:
        seen, found = _read(sign_in(Client(), person), ["/"], clinical)
        reached |= seen
        leaks += [f"{person.user.email} {leak}" for leak in found]
    assert leaks == [], "\n".join(leaks[:40])
    if role == Role.COLLABORATOR:  # the teacher's pages, observing included
        assert any("/observe/" in url for url in reached), sorted(reached)
    else:
        names = ("plans:index", "progress:index", "progress:report", "homeprogram:index")
        first = people[0]
        link = GuardianLink.objects.filter(organization_id=first.organization_id, guardian=first)
        child = link.values_list("child_id", flat=True)[0]
        assert all(reverse(name, args=[child]) in reached for name in names), sorted(reached)


def test_no_child_mode_page_shows_clinical_text() -> None:
    clinical = _clinical()
    leaks: list[str] = []
    links = GuardianLink.objects.filter(guardian__is_active=True).select_related("guardian")
    for link in links:
        client = sign_in(Client(), link.guardian)
        client.post(reverse("childmode:enter"), {"child": str(link.child_id)})
        _seen, found = _read(client, [reverse("childmode:home")], clinical)
        leaks += [f"child mode of {link.child_id}: {leak}" for leak in found]
    assert leaks == [], "\n".join(leaks[:40])
