"""A family fills a questionnaire before an evaluation: asked by the therapist, filled by a
guardian one section per screen, saved and resumed, sent and locked, read by the
therapist with its scores; in the guardian's language; only by the child's guardians."""

import pytest
from django.urls import reverse

from tandem.assessments.family import questionnaires_due
from tandem.assessments.models import QuestionnaireResponse
from tandem.assessments.tests.helpers import make_evaluation
from tandem.assessments.tests.test_psc17 import FORM

pytestmark = pytest.mark.django_db

STEPS = [[link for link, _t, _c in FORM][a:b] for a, b in ((0, 6), (6, 12), (12, 17))]


@pytest.fixture
def evaluation(world):
    return make_evaluation(world.child, world.therapist, status="draft")


@pytest.fixture
def asked(world, evaluation, client_as):
    response = client_as(world.therapist).post(
        reverse("assessments:ask_family", args=[world.child.id, evaluation.id]),
        {"questionnaire": "psc17", "idempotency_key": "ask-psc17-0001"},
    )
    assert response.status_code == 302
    return QuestionnaireResponse.objects.get(evaluation=evaluation, questionnaire="psc17")


def fill_url(world, form, step=None):
    url = reverse("assessments:family_fill", args=[world.child.id, form.id])
    return f"{url}?step={step}" if step else url


def post_step(client, world, form, step, value="1", move="next", key=None, **extra):
    data = {link: value for link in STEPS[step - 1]} | {"step": step, "move": move} | extra
    if key:
        data["idempotency_key"] = key
    return client.post(fill_url(world, form), data)


def test_the_therapist_asks_and_the_guardian_finds_it_with_its_link(world, asked, client_as):
    assert asked.for_family and asked.status == "in-progress" and asked.answers == {}
    due = questionnaires_due(world.guardian)
    assert [(d["child"], d["url"], d["started"]) for d in due] == [
        (world.child, fill_url(world, asked), False)
    ]
    assert due[0]["title"] == "Pediatric Symptom Checklist (PSC-17)"
    assert questionnaires_due(world.other_guardian) == []
    assert questionnaires_due(world.therapist) == []
    page = client_as(world.guardian).get(reverse("assessments:family_list", args=[world.child.id]))
    assert page.status_code == 200
    assert fill_url(world, asked) in page.content.decode()


def test_asking_twice_keeps_one_questionnaire(world, evaluation, asked, client_as):
    client = client_as(world.therapist)
    url = reverse("assessments:ask_family", args=[world.child.id, evaluation.id])
    client.post(url, {"questionnaire": "psc17"})
    assert QuestionnaireResponse.objects.filter(evaluation=evaluation).count() == 1
    page = client.post(url, {"questionnaire": "no-such"}, follow=True)
    assert "Choose one of the questionnaires." in page.content.decode()
    assert QuestionnaireResponse.objects.filter(evaluation=evaluation).count() == 1


def test_save_leave_resume_then_send_and_the_therapist_reads_the_scores(world, asked, client_as):
    client = client_as(world.guardian)
    first = client.get(fill_url(world, asked))
    body = first.content.decode()
    assert "Part 1 of 3" in body and "Fidgety, unable to sit still" in body
    assert "Does not listen to rules" not in body  # one section per screen

    response = post_step(client, world, asked, 1, value="2")
    assert response["Location"] == fill_url(world, asked, 2)
    response = post_step(client, world, asked, 2, value="1", move="later")
    assert response["Location"] == reverse("assessments:family_list", args=[world.child.id])
    asked.refresh_from_db()
    assert asked.status == "in-progress" and len(asked.answers) == 12
    assert questionnaires_due(world.guardian)[0]["started"] is True

    resumed = client.get(fill_url(world, asked, 2)).content.decode()
    assert 'value="1" checked' in resumed  # the saved answers are there again
    post_step(client, world, asked, 3, value="0", move="send")
    asked.refresh_from_db()
    assert asked.status == "completed" and asked.submitted_at is not None
    assert asked.author == world.guardian and asked.language == "en"
    assert questionnaires_due(world.guardian) == []

    # Locked: a later post changes nothing.
    again = post_step(client, world, asked, 1, value="0")
    assert again.status_code == 302
    asked.refresh_from_db()
    assert asked.answers["fidgety"] == "2"
    assert "Thank you" in client.get(fill_url(world, asked)).content.decode()

    # Hand-worked: step 1 all "often" (fidgety, sad, daydreams, refuses-share,
    # others-feelings, hopeless = 2 each), step 2 all "sometimes", step 3 all "never".
    # I = sad 2 + hopeless 2 + down-on-self 1 + less-fun 1 + worries 0 = 6 (+)
    # A = fidgety 2 + daydreams 2 + concentrating 1 + motor 0 + distracted 0 = 5 (−)
    # E = 2 + 2 + fights 1 + blames 1 + rules 1 + teases 0 + takes 0 = 7 (+); total 18 (+)
    page = client_as(world.therapist).get(asked.evaluation.get_absolute_url())
    text = page.content.decode()
    assert "Filled in by the family" in text
    assert "Fidgety, unable to sit still" in text
    for expected in ("6 / 10", "5 / 10", "7 / 14", "18 / 34"):
        assert expected in text


def test_a_retry_of_the_same_screen_is_done_once(world, asked, client_as):
    client = client_as(world.guardian)
    first = post_step(client, world, asked, 1, key="fill-step-1-key")
    retry = post_step(client, world, asked, 1, key="fill-step-1-key")
    assert first.status_code == retry.status_code == 302
    assert retry["Location"] == first["Location"]
    asked.refresh_from_db()
    assert asked.version == 2  # asked (1), one save (2)
    assert asked.history.count() == 2


def test_sending_with_questions_left_shows_the_first_screen_missing_them(world, asked, client_as):
    client = client_as(world.guardian)
    post_step(client, world, asked, 1)
    page = post_step(client, world, asked, 3, move="send")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Part 2 of 3" in body
    assert "This question needs an answer." in body
    asked.refresh_from_db()
    assert asked.status == "in-progress"
    assert len(asked.answers) == 11  # screens 1 and 3 kept


def test_bad_input_is_explained_and_nothing_is_saved(world, asked, client_as):
    client = client_as(world.guardian)
    page = post_step(client, world, asked, 1, value="7")
    assert page.status_code == 200
    assert "Choose one of the options given." in page.content.decode()
    asked.refresh_from_db()
    assert asked.answers == {} and asked.version == 1
    assert client.get(fill_url(world, asked, "abc")).status_code == 200
    assert client.get(fill_url(world, asked, 99)).status_code == 200
    odd = client.post(fill_url(world, asked), {"step": "x", "move": "jump", "fidgety": "1"})
    assert odd.status_code == 302


def test_in_spanish_for_a_spanish_speaking_family(world, asked, client_as):
    user = world.guardian.user
    user.language = "es"
    user.save()
    client = client_as(world.guardian)
    body = client.get(fill_url(world, asked)).content.decode()
    assert "Inquieto/a, no puede quedarse sentado/a" in body
    assert "Algunas veces" in body and "Guardar y terminar después" in body
    for step in (1, 2):
        post_step(client, world, asked, step)
    post_step(client, world, asked, 3, move="send")
    asked.refresh_from_db()
    assert asked.status == "completed" and asked.language == "es"
    page = client_as(world.therapist).get(asked.evaluation.get_absolute_url())
    assert "Fidgety, unable to sit still" in page.content.decode()  # the therapist's language


def test_only_the_childs_guardians_reach_the_form(world, asked, client_as):
    url = fill_url(world, asked)
    for member in (world.other_guardian, world.therapist, world.front_desk, world.foreign_guardian):
        assert client_as(member).get(url).status_code == 404
    # Under another child of the same guardian, the form is not there either.
    other = reverse("assessments:family_fill", args=[world.sibling.id, asked.id])
    assert client_as(world.guardian).get(other).status_code == 404
    ask = reverse("assessments:ask_family", args=[world.child.id, asked.evaluation_id])
    assert (
        client_as(world.consulting_therapist).post(ask, {"questionnaire": "psc17"}).status_code
        == 403
    )
    assert client_as(world.guardian).post(ask, {"questionnaire": "psc17"}).status_code == 404


def test_the_due_list_takes_a_bounded_number_of_queries(
    world, asked, django_assert_max_num_queries
):
    other = make_evaluation(world.sibling, world.therapist, status="draft")
    from tandem.assessments.family import ask_family

    ask_family(other, world.therapist, "parent_intake")
    with django_assert_max_num_queries(2):
        due = questionnaires_due(world.guardian)
    assert len(due) == 2


@pytest.mark.parametrize("slug", ["parent_intake", "psc17", "sensory_behaviour"])
def test_every_text_a_family_reads_has_its_spanish(slug):
    from tandem.assessments import reading

    def texts(definition):
        found = []

        def walk(node):
            if isinstance(node, list):
                for value in node:
                    walk(value)
            elif isinstance(node, dict):
                for key, value in node.items():
                    if key.startswith("_"):
                        continue
                    if key in ("text", "title", "description", "display") or (
                        key == "valueString" and str(node.get("url", "")).endswith("help")
                    ):
                        found.append(value)
                    walk(value)

        walk(definition)
        return found

    english = texts(reading.questionnaire_definition(slug, "en"))
    spanish = texts(reading.questionnaire_definition(slug, "es"))
    assert len(english) == len(spanish)
    same = [en for en, es in zip(english, spanish, strict=True) if en == es]
    assert same == []


def test_the_family_pages_take_a_bounded_number_of_queries(
    world, asked, client_as, django_assert_max_num_queries
):
    client = client_as(world.guardian)
    client.get(fill_url(world, asked))  # the session and caches warmed once
    with django_assert_max_num_queries(8):
        assert client.get(fill_url(world, asked, 2)).status_code == 200
    with django_assert_max_num_queries(15):
        assert post_step(client, world, asked, 2).status_code == 302
    with django_assert_max_num_queries(8):
        page = client.get(reverse("assessments:family_list", args=[world.child.id]))
        assert page.status_code == 200


def test_the_therapist_sees_the_family_has_not_sent_it_yet(world, asked, client_as):
    page = client_as(world.therapist).get(asked.evaluation.get_absolute_url())
    text = page.content.decode()
    assert "Waiting for the family" in text and "Filled in by the family" not in text
