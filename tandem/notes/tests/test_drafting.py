""" "Draft the note" through the editor, and the family summary from signing to the family.

The draft fills empty fields only, compares with the goal's last signed session, is
written in the therapist's language, and never overwrites what they typed; a stale
version is refused. A kept summary is shown to the family once the note is signed, in
their language; another family never sees it. Notes signed before the summary existed
still verify.
"""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from tandem.notes import seal
from tandem.notes.models import GoalData, SessionNote
from tandem.notes.tests.helpers import TODAY, editor_data, goals_for, make_note
from tandem.notes.tests.test_seal import reads_intact, triggers_off
from tandem.plans.tests.helpers import make_plan

HTMX = {"HTTP_HX_REQUEST": "true"}
HALF = [
    {"correct": True, "prompt": "independent"},
    {"correct": False, "prompt": "verbal"},
    {"correct": True, "prompt": "verbal"},
    {"correct": False, "prompt": "model"},
]
GOAL = "Goal 1: button three buttons"
OBJECTIVE = (
    "Maya worked on 1 goal in a 45-minute session.\n"
    f"{GOAL}: 3 of 4 trials correct (75 %); prompt levels: independent: 2, verbal: 1, "
    "model: 1; GAS level 0."
)
ASSESSMENT = (
    f"{GOAL}: 75 %, up from 50 % last session — an improvement. Mastery criterion: 80 % or "
    "more in 3 consecutive sessions; not met this session."
)


def url(name, note):
    return reverse(f"notes:{name}", args=[note.child_id, note.id])


@pytest.fixture
def goal(world):
    return goals_for(world.child, world.therapist)[0]


@pytest.fixture
def draft(world, goal):
    return last_week_then_draft(world, goal)


def last_week_then_draft(world, goal):
    """Last week's session signed at 50 %; today's draft at 75 %, Objective and Assessment empty."""
    make_note(
        world.child,
        world.therapist,
        goals=[goal],
        data={"trials": HALF, "gas_level": -1},
        sign=True,
        date=TODAY - datetime.timedelta(days=7),
    )
    return make_note(world.child, world.therapist, goals=[goal], objective="", assessment="")


def press_draft(client, note, action="fill", **changes):
    return client.post(url("edit", note), editor_data(note, draft=action, **changes), **HTMX)


def test_draft_the_note_fills_the_empty_fields(world, client_as, draft):
    client = client_as(world.therapist)
    response = press_draft(client, draft)
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("edit", draft) + f"?draft={draft.version + 1}#soap"
    note = SessionNote.objects.get(pk=draft.pk)
    assert note.objective == OBJECTIVE
    assert note.assessment == ASSESSMENT
    assert note.family_summary_en.startswith("Today Maya worked on 1 goal with us.\n")
    assert "Maya got 3 out of 4 tries right, some with a reminder." in note.family_summary_en
    assert "That is better than last time." in note.family_summary_en
    assert note.family_summary_es.startswith("Hoy Maya trabajó en 1 objetivo con nosotros.\n")
    assert note.share_summary is True
    assert note.version == draft.version + 1
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "The note was drafted from the session&#x27;s data." in page
    assert "75 %, up from 50 % last session" in page  # in the Assessment box, to edit
    assert "use:objective" not in page  # nothing to show beside: the fields hold the draft


def test_a_spanish_speaking_therapist_drafts_in_spanish(world, client_as, draft):
    world.therapist.user.language = "es"
    world.therapist.user.save()
    press_draft(client_as(world.therapist), draft)
    note = SessionNote.objects.get(pk=draft.pk)
    assert note.objective.startswith(
        "Maya trabajó en 1 objetivo en una sesión de 45 minutos.\n"
        f"{GOAL}: 3 de 4 ensayos correctos (75 %); niveles de ayuda: independiente: 2"
    )
    assert note.assessment.startswith(
        f"{GOAL}: 75 %, más que en la sesión anterior (50 %) — una mejora."
    )
    assert note.family_summary_en and note.family_summary_es  # both, for either family


def test_what_the_therapist_typed_is_never_overwritten(world, client_as, draft):
    client = client_as(world.therapist)
    response = press_draft(client, draft, objective="My own words about the session.")
    note = SessionNote.objects.get(pk=draft.pk)
    assert note.objective == "My own words about the session."  # typed, saved, kept
    assert note.assessment == ASSESSMENT  # empty: drafted
    page = client.get(response["HX-Redirect"]).content.decode()
    assert "What you had written is kept; the draft is shown beside it." in page
    assert 'value="use:objective"' in page and 'value="use:assessment"' not in page
    assert "3 of 4 trials correct (75 %)" in page  # the draft, shown beside the field

    used = press_draft(client, note, action="use:objective")
    assert used.status_code == 200
    assert SessionNote.objects.get(pk=draft.pk).objective == OBJECTIVE


def test_drafting_again_keeps_the_edited_draft(world, client_as, draft):
    client = client_as(world.therapist)
    press_draft(client, draft)
    note = SessionNote.objects.get(pk=draft.pk)
    press_draft(client, note, assessment="Edited: steady gains with verbal prompts.")
    assert SessionNote.objects.get(pk=draft.pk).assessment == (
        "Edited: steady gains with verbal prompts."
    )


def test_a_draft_on_a_stale_version_is_refused(world, client_as, draft):
    client = client_as(world.therapist)
    client.post(url("edit", draft), editor_data(draft, mood="Cheerful"), **HTMX)  # version + 1
    response = press_draft(client, draft)  # still the version the editor was opened on
    assert response.status_code == 409
    assert "Someone else saved this note" in response.content.decode()
    note = SessionNote.objects.get(pk=draft.pk)
    assert note.objective == "" and note.family_summary_en == ""


def test_the_draft_button_is_on_the_editor(world, client_as, draft):
    page = client_as(world.therapist).get(url("edit", draft)).content.decode()
    assert 'name="draft" value="fill"' in page
    assert "Draft the note" in page
    assert 'name="share_summary"' in page and 'name="family_summary_es"' in page


def test_drafting_on_the_page_costs_one_query_for_the_history_whatever_the_goals(
    world, client_as, draft, django_assert_max_num_queries
):
    client = client_as(world.therapist)
    press_draft(client, draft, objective="Mine.")
    with django_assert_max_num_queries(40) as one_goal:
        assert client.get(url("edit", draft) + "?draft=1").status_code == 200
    budget = len(one_goal.captured_queries)
    # Drafting reads the history once, not once a goal.
    make_plan(world.child, world.therapist, goals=3)
    many = make_note(world.child, world.therapist, goals=None, objective="Mine too.")
    assert GoalData.objects.filter(note=many).count() >= 3
    with django_assert_max_num_queries(budget):
        assert client.get(url("edit", many) + "?draft=1").status_code == 200


# --- The family summary, from signing to the family -----------------------------


def sign(client, note, **changes):
    note.refresh_from_db()
    return client.post(url("sign", note), editor_data(note, **changes))


@pytest.fixture
def drafted(world, client_as, draft):
    press_draft(client_as(world.therapist), draft)
    return SessionNote.objects.get(pk=draft.pk)


def test_a_kept_summary_is_shared_on_signing(world, client_as, drafted):
    sign(client_as(world.therapist), drafted)
    note = SessionNote.objects.get(pk=drafted.pk)
    assert note.is_locked and note.share_summary
    family = client_as(world.guardian).get(url("detail", note)).content.decode()
    assert "The session in a few words" in family
    assert "Maya got 3 out of 4 tries right, some with a reminder." in family
    assert "Hoy Maya" not in family


def test_the_family_reads_it_in_their_language(world, client_as, drafted):
    sign(client_as(world.therapist), drafted)
    world.guardian.user.language = "es"
    world.guardian.user.save()
    family = client_as(world.guardian).get(url("detail", drafted)).content.decode()
    assert "Maya lo hizo bien 3 de 4 veces, algunas con un recordatorio." in family
    assert "Today Maya" not in family


def test_a_summary_not_kept_is_not_shared(world, client_as, drafted):
    therapist = client_as(world.therapist)
    sign(therapist, drafted, share_summary="")
    note = SessionNote.objects.get(pk=drafted.pk)
    assert note.is_locked and not note.share_summary
    family = client_as(world.guardian).get(url("detail", note)).content.decode()
    assert "The session in a few words" not in family
    assert "tries right" not in family
    staff = therapist.get(url("detail", note)).content.decode()
    assert "Not shared with the family." in staff


def test_a_draft_summary_is_not_shared(world, client_as, drafted):
    assert client_as(world.guardian).get(url("detail", drafted)).status_code == 404


def test_another_family_never_sees_it(world, client_as, drafted):
    sign(client_as(world.therapist), drafted)
    for other in (world.other_guardian, world.foreign_guardian):
        assert client_as(other).get(url("detail", drafted)).status_code == 404


# --- The seal ------------------------------------------------------------------


def test_the_signature_seals_the_summary(world, client_as, drafted):
    client = client_as(world.therapist)
    sign(client, drafted)
    note = SessionNote.objects.get(pk=drafted.pk)
    assert note.hash_version == seal.HASH_VERSION == 5
    assert reads_intact(client, note)
    with (
        pytest.raises(DatabaseError, match=r"locked"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE notes_sessionnote SET family_summary_en = 'Changed' WHERE id = %s",
            [note.id.hex],
        )
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notes_sessionnote SET share_summary = %s WHERE id = %s", [False, note.id.hex]
        )
    assert not reads_intact(client, note)


def test_notes_signed_before_the_summary_still_verify(world, client_as):
    """A note signed with hash version 3, as the migration leaves it: the new columns at
    their defaults, outside its hash, its seal still matching."""
    note = make_note(world.child, world.therapist, sign=True)
    entries = list(GoalData.objects.filter(note=note))
    note.hash_version = 3
    v3 = seal.note_hash(note, entries, version=3, signed_status=seal.signed_status(note))
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE notes_sessionnote SET hash_version = 3, content_hash = %s, "
            "family_summary_en = '', family_summary_es = '', share_summary = %s WHERE id = %s",
            [v3, True, note.id.hex],
        )
    client = client_as(world.therapist)
    assert reads_intact(client, note)
    family = client_as(world.guardian).get(url("detail", note)).content.decode()
    assert "The session in a few words" not in family
