"""Asking a family for a questionnaire: who is told (once, in their language, with the
link), when the team may not ask (a final evaluation, its own draft, the child's age),
asks at the same moment, and who may fill and read the family's answers (the child's
guardians with legal authority only)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from tandem.assessments import actions
from tandem.assessments.family import questionnaires_due
from tandem.assessments.models import QuestionnaireResponse
from tandem.assessments.tests.helpers import make_evaluation
from tandem.assessments.tests.test_psc17 import FORM
from tandem.core.testing import factories as f
from tandem.core.testing.factories import clinic_today
from tandem.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")  # the test clinics' time zone


@pytest.fixture
def evaluation(world):
    return make_evaluation(world.child, world.therapist, status="draft")


def ask(client, world, evaluation, questionnaire="psc17", key=None, follow=True):
    data = {"questionnaire": questionnaire} | ({"idempotency_key": key} if key else {})
    url = reverse("assessments:ask_family", args=[world.child.id, evaluation.id])
    return client.post(url, data, follow=follow)


def fill_url(child, form):
    return reverse("assessments:family_fill", args=[child.id, form.id])


def afternoon():
    """Early afternoon on the clinic's clock today (outside everyone's quiet hours)."""
    return datetime.datetime.combine(clinic_today(), datetime.time(13, 0), tzinfo=CHICAGO)


# --- The family is told ------------------------------------------------------------


def test_each_legal_guardian_is_told_once_in_their_language_with_the_link(
    world, evaluation, client_as, django_capture_on_commit_callbacks
):
    spanish = f.GuardianLinkFactory(child=world.child, has_legal_authority=True).guardian
    spanish.user.language = "es"
    spanish.user.save()
    stepparent = f.GuardianLinkFactory(child=world.child, has_legal_authority=False).guardian
    with time_machine.travel(afternoon(), tick=False):
        # Signed in on the travelled clock: from before 07:00 UTC the afternoon is past
        # the session's 12 hours, and the asks would land on the sign-in page.
        client = client_as(world.therapist)
        with django_capture_on_commit_callbacks(execute=True):
            page = ask(client, world, evaluation, key="ask-once-0001")
        with django_capture_on_commit_callbacks(execute=True):
            retry = ask(client, world, evaluation, key="ask-once-0001", follow=False)
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, world, evaluation, key="ask-once-0002")  # asked again
    assert "The family will find the questionnaire on their pages." in page.content.decode()
    assert retry.status_code == 302  # the same post, retried: its first answer again
    form = QuestionnaireResponse.objects.get(evaluation=evaluation, questionnaire="psc17")
    link = fill_url(world.child, form)

    told = Notification.objects.filter(kind=Kind.QUESTIONNAIRE_ASKED)
    assert sorted(told.values_list("recipient_id", flat=True)) == sorted(
        [world.guardian.pk, spanish.pk]
    )
    assert {n.url for n in told} == {link}
    assert not told.filter(recipient__in=[world.other_guardian, stepparent]).exists()

    emails = {tuple(m.to): m for m in mail.outbox}
    assert len(mail.outbox) == 2
    english = emails[(world.guardian.user.email,)]
    assert english.subject.startswith("A questionnaire about Maya to fill")
    assert link in english.body
    in_spanish = emails[(spanish.user.email,)]
    assert in_spanish.subject.startswith("Un cuestionario sobre Maya para completar")
    assert link in in_spanish.body and "Puede guardar sus respuestas" in in_spanish.body

    # In the app, in the reader's language too.
    listing = client_as(spanish).get(reverse("notifications:index")).content.decode()
    assert "Un cuestionario sobre Maya Okafor para completar" in listing


# --- When the team may not ask -------------------------------------------------------


def test_a_final_evaluation_is_refused(world, client_as):
    final = make_evaluation(world.child, world.therapist, status="final")
    page = ask(client_as(world.therapist), world, final)
    assert "This evaluation is final" in page.content.decode()
    assert not QuestionnaireResponse.objects.filter(evaluation=final).exists()
    assert not Notification.objects.filter(kind=Kind.QUESTIONNAIRE_ASKED).exists()


def test_the_teams_own_draft_is_never_handed_to_the_family(world, evaluation, client_as):
    draft = actions.save_questionnaire_response(
        evaluation,
        world.therapist,
        questionnaire="psc17",
        answers={"fidgety": "2"},
        status="in-progress",
    )
    page = ask(client_as(world.therapist), world, evaluation)
    assert "You have started this questionnaire yourself" in page.content.decode()
    draft.refresh_from_db()
    assert draft.for_family is False and draft.version == 1
    assert questionnaires_due(world.guardian) == []
    assert client_as(world.guardian).get(fill_url(world.child, draft)).status_code == 404
    assert not Notification.objects.filter(kind=Kind.QUESTIONNAIRE_ASKED).exists()


def _birthday(years, extra_days=0):
    today = clinic_today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day + datetime.timedelta(days=extra_days)


@pytest.mark.parametrize(
    ("born", "allowed"),
    [
        (_birthday(4), True),  # 4 years 0 months today
        (_birthday(4, 1), False),  # 4 tomorrow: 3 years 11 months
        (_birthday(17, 1), True),  # 17 tomorrow: 16 years 11 months
        (_birthday(17), False),  # 17 today
    ],
)
def test_the_psc17_is_asked_only_from_4_years_to_16_years_11_months(
    world, client_as, born, allowed
):
    world.child.date_of_birth = born
    world.child.save()
    draft = make_evaluation(world.child, world.therapist, status="draft")
    page = ask(client_as(world.therapist), world, draft).content.decode()
    asked = QuestionnaireResponse.objects.filter(evaluation=draft, questionnaire="psc17")
    assert asked.exists() is allowed
    assert ("is meant for children from 4 to 16 years old" in page) is not allowed
    # Other questionnaires have no age limit.
    ask(client_as(world.therapist), world, draft, questionnaire="parent_intake")
    assert QuestionnaireResponse.objects.filter(evaluation=draft, for_family=True).count() == (
        2 if allowed else 1
    )


def test_two_asks_at_the_same_moment_are_one_request(world, evaluation, client_as, monkeypatch):
    first = ask(client_as(world.therapist), world, evaluation)
    assert first.status_code == 200
    # The second ask looked before the first one's row was there, then tries to insert.
    manager = QuestionnaireResponse.objects
    monkeypatch.setattr(manager, "select_for_update", lambda *a, **k: manager.none())
    second = ask(client_as(world.therapist), world, evaluation)
    assert second.status_code == 200
    assert "The family will find the questionnaire on their pages." in second.content.decode()
    assert QuestionnaireResponse.objects.filter(evaluation=evaluation).count() == 1
    assert Notification.objects.filter(kind=Kind.QUESTIONNAIRE_ASKED).count() == 1


# --- Who fills and reads the family's answers ------------------------------------------


@pytest.fixture
def started(world, evaluation, client_as):
    ask(client_as(world.therapist), world, evaluation)
    form = QuestionnaireResponse.objects.get(evaluation=evaluation, questionnaire="psc17")
    client_as(world.guardian).post(
        fill_url(world.child, form),
        {"fidgety": "2", "sad": "1", "step": 1, "move": "later"},
    )
    form.refresh_from_db()
    assert form.answers == {"fidgety": "2", "sad": "1"}
    return form


def test_a_guardian_without_legal_authority_finds_nothing(world, started, client_as):
    other_household = f.GuardianLinkFactory(child=world.child, has_legal_authority=False).guardian
    client = client_as(other_household)
    assert questionnaires_due(other_household) == []
    list_url = reverse("assessments:family_list", args=[world.child.id])
    assert client.get(list_url).status_code == 404
    assert client.get(fill_url(world.child, started)).status_code == 404
    posted = client.post(
        fill_url(world.child, started), {"fidgety": "0", "step": 1, "move": "send"}
    )
    assert posted.status_code == 404
    before = (started.answers, started.version, started.status)
    started.refresh_from_db()
    assert (started.answers, started.version, started.status) == before
    assert not Notification.objects.filter(recipient=other_household).exists()


def test_another_familys_guardian_posting_to_the_form_gets_404(world, started, client_as):
    client = client_as(world.other_guardian)
    data = {link: "0" for link, _t, _c in FORM} | {"step": 1, "move": "send"}
    assert client.post(fill_url(world.child, started), data).status_code == 404
    # Under their own child's address, the form is not there either.
    assert client.post(fill_url(world.other_child, started), data).status_code == 404
    before = (started.answers, started.version, started.status, started.author_id)
    started.refresh_from_db()
    assert (started.answers, started.version, started.status, started.author_id) == before


def test_the_therapist_reads_the_language_the_family_answered_in(world, evaluation, client_as):
    ask(client_as(world.therapist), world, evaluation)
    form = QuestionnaireResponse.objects.get(evaluation=evaluation, questionnaire="psc17")
    world.guardian.user.language = "es"
    world.guardian.user.save()
    guardian = client_as(world.guardian)
    answers = {link: "0" for link, _t, _c in FORM}
    for step in (1, 2, 3):
        move = "send" if step == 3 else "next"
        guardian.post(fill_url(world.child, form), answers | {"step": step, "move": move})
    form.refresh_from_db()
    assert form.status == "completed" and form.language == "es"
    page = client_as(world.therapist).get(evaluation.get_absolute_url()).content.decode()
    assert "The family answered in Spanish." in page
