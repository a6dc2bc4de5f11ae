"""ABC records in the note editor (saved with the draft, a row each) and on the child's
record (clinical staff only)."""

from django.urls import reverse

from tandem.notes import abc, actions
from tandem.notes.models import SessionNote
from tandem.notes.tests.helpers import editor_data, make_note

HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(note):
    return reverse("notes:edit", args=[note.child_id, note.id])


def rows(*records, present=True):
    data = {"abc-present": "1"} if present else {}
    for i, record in enumerate(records):
        for field in abc.FIELDS:
            data[f"abc-{i}-{field}"] = record.get(field, "")
    return data


TANTRUM = {"time": "9:05", "antecedent": "Asked to tidy up", "behavior": "Threw blocks"}
CALM = {"behavior": "Sat on the mat", "consequence": "Praise"}


def test_the_editor_saves_rows_in_order_and_drops_empty_ones(world, client_as):
    note = make_note(world.child, world.therapist, data={})
    data = {**editor_data(note), **rows(TANTRUM, {}, CALM)}
    response = client_as(world.therapist).post(edit_url(note), data)
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.abc_records == [
        {
            "time": "09:05",
            "antecedent": "Asked to tidy up",
            "behavior": "Threw blocks",
            "consequence": "",
        },
        {"time": "", "antecedent": "", "behavior": "Sat on the mat", "consequence": "Praise"},
    ]
    body = client_as(world.therapist).get(edit_url(note)).content.decode()
    assert 'value="Threw blocks"' not in body and ">Threw blocks</textarea>" in body
    assert 'id="abc-2-behavior"' in body  # a fresh row after the two saved


def test_a_form_without_the_rows_leaves_the_records(world, client_as):
    note = make_note(world.child, world.therapist, data={})
    note = abc.set_records(note, world.therapist, expected_version=note.version, records=[CALM])
    client_as(world.therapist).post(edit_url(note), editor_data(note, objective="Later."))
    note.refresh_from_db()
    assert [r["behavior"] for r in note.abc_records] == ["Sat on the mat"]


def test_a_row_without_its_behavior_is_refused_with_its_number(world, client_as):
    note = make_note(world.child, world.therapist, data={})
    data = {**editor_data(note, objective="Changed."), **rows(CALM, {"antecedent": "Noise"})}
    response = client_as(world.therapist).post(edit_url(note), data, **HTMX)
    assert response.status_code == 422
    assert "ABC record 2: Describe the behavior" in response.content.decode()
    note.refresh_from_db()
    assert note.abc_records == [] and note.objective != "Changed."  # nothing saved


def test_a_bad_time_is_refused(world, client_as):
    note = make_note(world.child, world.therapist, data={})
    data = {**editor_data(note), **rows({"time": "25:99", "behavior": "Ran"})}
    body = client_as(world.therapist).post(edit_url(note), data).content.decode()
    assert "ABC record 1: Give the time of an ABC record as HH:MM" in body
    assert SessionNote.objects.get(pk=note.pk).abc_records == []


def test_an_autosave_waits_for_the_behavior_but_saves_the_rest(world, client_as):
    note = make_note(world.child, world.therapist, data={})
    data = {**editor_data(note, objective="Typed."), **rows({"antecedent": "Noise"})}
    response = client_as(world.therapist).post(
        edit_url(note), data, HTTP_HX_TRIGGER="note-form", **HTMX
    )
    assert response.status_code == 200
    note.refresh_from_db()
    assert note.objective == "Typed." and note.abc_records == []


def test_remove_drops_its_row_and_reopens_the_editor(world, client_as):
    note = make_note(world.child, world.therapist, data={})
    note = abc.set_records(
        note,
        world.therapist,
        expected_version=note.version,
        records=[TANTRUM | {"time": "09:05"}, CALM],
    )
    data = {**editor_data(note), **rows(TANTRUM, CALM), "abc_action": "remove:0"}
    response = client_as(world.therapist).post(edit_url(note), data, **HTMX)
    assert response["HX-Redirect"] == edit_url(note)
    note.refresh_from_db()
    assert [r["behavior"] for r in note.abc_records] == ["Sat on the mat"]


def test_a_signed_note_refuses_rows(world, client_as):
    note = make_note(world.child, world.therapist, sign=True)
    data = {**editor_data(note), **rows(CALM)}
    response = client_as(world.therapist).post(edit_url(note), data, **HTMX)
    assert response.status_code == 409
    assert "signed and locked" in response.content.decode()
    assert SessionNote.objects.get(pk=note.pk).abc_records == []


def test_the_childs_record_lists_them_for_clinical_staff_only(world, client_as):
    note = make_note(world.child, world.therapist)
    note = abc.set_records(
        note, world.therapist, expected_version=note.version, records=[TANTRUM | {"time": "09:05"}]
    )
    actions.sign_note(note, world.therapist, expected_version=note.version)  # families read it
    page = reverse("children:detail", args=[world.child.id])
    body = client_as(world.therapist).get(page).content.decode()
    assert "ABC records" in body and "Threw blocks" in body
    for reader in (world.guardian, world.consented_collaborator):
        response = client_as(reader).get(page)
        assert "Threw blocks" not in response.content.decode()
