"""Typed trials ("8/10 V"): what each form reads as, and the message for what cannot be read."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tandem.notes.models import GoalData, PromptLevel, SessionNote
from tandem.notes.tests.helpers import editor_data, make_note
from tandem.notes.typed_entry import (
    LETTERS,
    MAX_TRIALS,
    PROMPTS,
    Entry,
    TypedEntryError,
    parse,
    to_trials,
    trials_from,
)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("8/10 V", Entry(8, 10, "verbal")),
        ("8/10", Entry(8, 10, None)),
        ("8/10 v", Entry(8, 10, "verbal")),
        ("8 / 10 verbal", Entry(8, 10, "verbal")),
        ("8/10 PP", Entry(8, 10, "partial_physical")),
        ("8/10 FP", Entry(8, 10, "full_physical")),
        ("8/10 G", Entry(8, 10, "gestural")),
        ("8/10 M", Entry(8, 10, "model")),
        ("8/10 I", Entry(8, 10, "independent")),
        ("8/10PP", Entry(8, 10, "partial_physical")),
        ("  0/3   partial physical ", Entry(0, 3, "partial_physical")),
        ("8 of 10 model", Entry(8, 10, "model")),
        ("8 de 10 modelado", Entry(8, 10, "model")),
        ("10/10 físico total", Entry(10, 10, "full_physical")),
    ],
)
def test_each_accepted_form(text, entry):
    assert parse(text) == [entry]


def test_several_entries_each_with_its_prompt_level():
    assert parse("6/8 I, 1/2 V; 3/3 M\n0/1 FP") == [
        Entry(6, 8, "independent"),
        Entry(1, 2, "verbal"),
        Entry(3, 3, "model"),
        Entry(0, 1, "full_physical"),
    ]


def test_an_empty_text_is_no_entry():
    assert parse("") == []
    assert parse(" , ;\n") == []


def test_trials_correct_first_at_the_entry_prompt_or_the_counter_prompt():
    assert trials_from("2/3 V, 1/1", "model") == [
        {"correct": True, "prompt": "verbal"},
        {"correct": True, "prompt": "verbal"},
        {"correct": False, "prompt": "verbal"},
        {"correct": True, "prompt": "model"},
    ]
    # An unknown counter prompt falls back to independent, as a tap does.
    assert to_trials([Entry(1, 1, None)], "nonsense") == [
        {"correct": True, "prompt": "independent"}
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("11/10", "“11/10”: 11 correct is more than the 10 trials."),
        ("x/10", "“x/10”: “x” is not a number of trials. Write it like 8/10 V."),
        ("8/x", "“8/x”: “x” is not a number of trials. Write it like 8/10 V."),
        ("0/0", "“0/0”: there must be at least one trial."),
        ("8/10 Q", f"“8/10 Q”: “Q” is not a prompt level. Use {LETTERS}."),
        ("eight", "“eight” cannot be read: write correct/trials and a prompt level, like 8/10 V."),
        ("-1/10", "“-1/10”: “-1” is not a number of trials. Write it like 8/10 V."),
        ("150/150, 60/60", f"At most {MAX_TRIALS} trials per goal and session."),
    ],
)
def test_what_cannot_be_read_says_what_to_write(text, message):
    with pytest.raises(TypedEntryError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_one_bad_entry_refuses_the_whole_text():
    with pytest.raises(TypedEntryError):
        trials_from("8/10 V, 11/10 V", "independent")


def test_every_prompt_name_is_a_prompt_level():
    assert set(PROMPTS.values()) <= set(PromptLevel.values)


CODES = st.sampled_from(["", "I", "G", "V", "M", "PP", "FP", "verbal", "model"])


@given(st.integers(0, 100), st.integers(1, 100), CODES, st.sampled_from(["/", " / ", " of "]))
def test_any_well_formed_entry_reads_back_as_its_trials(correct, extra, code, slash):
    total = min(correct + extra, MAX_TRIALS)
    correct = min(correct, total)
    trials = trials_from(f"{correct}{slash}{total} {code}", "gestural")
    assert len(trials) == total
    assert sum(t["correct"] for t in trials) == correct
    prompts = {t["prompt"] for t in trials}
    assert len(prompts) == 1 and prompts <= set(PromptLevel.values)


@given(st.integers(0, 500), st.integers(0, 500))
def test_more_correct_than_trials_is_always_refused(total, more):
    with pytest.raises(TypedEntryError):
        parse(f"{total + more + 1}/{total}")


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        trials = trials_from(text, "verbal")
    except TypedEntryError as exc:
        assert str(exc)
    else:
        assert len(trials) <= MAX_TRIALS
        assert all(set(t) == {"correct", "prompt"} for t in trials)


# --- In the editor -----------------------------------------------------------------

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def typed_note(world):
    return make_note(world.child, world.therapist, data={})


def _post_typed(client, note, text, key, **changes):
    goal_id = GoalData.objects.get(note=note).goal_id
    data = editor_data(
        note,
        trial=f"{goal_id}:typed",
        idempotency_key=key,
        **{f"goal-{goal_id}-typed": text, f"goal-{goal_id}-prompt": "model"},
        **changes,
    )
    return client.post(reverse("notes:edit", args=[note.child_id, note.id]), data, **HTMX)


@pytest.mark.django_db
def test_typed_trials_are_stored_each_with_its_prompt_level_once(world, client_as, typed_note):
    client = client_as(world.therapist)
    first = _post_typed(client, typed_note, "2/3 V, 1/1", "typed-0001")
    again = _post_typed(client, typed_note, "2/3 V, 1/1", "typed-0001")  # a retry
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert "3 of 4 correct" in first.content.decode()
    assert GoalData.objects.get(note=typed_note).trials == [
        {"correct": True, "prompt": "verbal"},
        {"correct": True, "prompt": "verbal"},
        {"correct": False, "prompt": "verbal"},
        {"correct": True, "prompt": "model"},  # no level typed: the counter's
    ]
    assert SessionNote.objects.get(pk=typed_note.pk).version == typed_note.version + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("11/10", "11 correct is more than the 10 trials."),
        ("x/10", "“x” is not a number of trials."),
    ],
)
def test_a_bad_typed_entry_is_refused_with_its_message_and_changes_nothing(
    world, client_as, typed_note, text, message
):
    response = _post_typed(client_as(world.therapist), typed_note, text, "typed-bad", mood="x")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert GoalData.objects.get(note=typed_note).trials == []
    saved = SessionNote.objects.get(pk=typed_note.pk)
    assert saved.version == typed_note.version and saved.mood != "x"
