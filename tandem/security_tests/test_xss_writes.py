"""Writing the stored-XSS corpus through every form a person fills (``write_everything``).

Each surface opens the real page as the person who uses it, fills the form's free-text
fields with payloads (``test_xss_corpus.fill_and_post``) and posts it; the records a form
needs first (a plan before its goals, a draft before it is signed) are made through forms
too. ``test_xss_pages.py`` then reads every page as every role; the browser tests render
them in Chromium.
"""

import datetime

from django.urls import reverse

from tandem.accounts.models import Membership
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.homeprogram.models import HomeActivity, PracticeLog
from tandem.messaging.uploads import display_name
from tandem.notes.tests.helpers import active_goals
from tandem.plans.models import Goal
from tandem.plans.signatures import signing_name

from .test_xss_corpus import Corpus, fill_and_post, parse
from .test_xss_writes_clinic import CLINIC_SURFACES, ClientFor, id_in, named_pdf, post_form

YEAR = datetime.timedelta(days=365)
NOTE_TEXT = (
    "subjective",
    "objective",
    "assessment",
    "plan_next",
    "activities",
    "child_chosen_activities",
    "mood",
)


def _child_profile(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya = world.child
    fill_and_post(
        client(world.therapist), corpus, "child profile", reverse("children:edit", args=[maya.id])
    )


def _guardian_invited(corpus: Corpus, world: World, client: ClientFor) -> None:
    page = reverse("children:team", args=[world.child.id])
    action = reverse("children:guardian_add", args=[world.child.id])
    fill_and_post(client(world.admin), corpus, "guardian added", page, action=action)


def _own_names(corpus: Corpus, world: World, client: ClientFor) -> None:
    for member in (world.guardian, world.therapist, world.consented_collaborator):
        fill_and_post(
            client(member), corpus, f"{member.role} preferences", reverse("accounts:preferences")
        )


def _plan(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya, therapist = world.child, client(world.therapist)
    start = clinic_today() - datetime.timedelta(days=30)
    response = fill_and_post(
        therapist,
        corpus,
        "plan",
        reverse("plans:new", args=[maya.id]),
        data={"start_date": start.isoformat(), "review_date": (start + YEAR / 2).isoformat()},
    )
    plan = id_in(response)
    corpus.ids["plan"] = plan
    goal_data = {
        "target_date": (start + YEAR / 3).isoformat(),
        "mastery_value": "80",
        "child_chosen": "on",
        "measurement_type": "frequency",  # a count: the note's data is one number
    }
    for _goal in range(2):
        fill_and_post(
            therapist,
            corpus,
            "goal",
            reverse("plans:goal_new", args=[maya.id, plan]),
            data=goal_data,
        )
    fill_and_post(therapist, corpus, "COPM", reverse("plans:copm_new", args=[maya.id, plan]))
    detail = reverse("plans:detail", args=[maya.id, plan])
    status = reverse("plans:status", args=[maya.id, plan])
    post_form(therapist, detail, status, {"status": "active"})
    held = Goal.objects.filter(plan_id=plan).order_by("created_at").last()
    assert held is not None
    fill_and_post(
        therapist,
        corpus,
        "goal status",
        detail,
        action=reverse("plans:goal_status", args=[maya.id, held.id]),
        data={"status": "on_hold"},
    )


def _plan_signed(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya, plan = world.child, corpus.ids["plan"]
    guardian = Membership.objects.get(pk=world.guardian.pk)
    detail = reverse("plans:detail", args=[maya.id, plan])
    fill_and_post(
        client(world.guardian),
        corpus,
        "plan signature",
        detail,
        action=reverse("plans:sign", args=[maya.id, plan]),
        data={"typed_name": signing_name(guardian)},
    )
    name = signing_name(guardian)
    corpus.note("plan signature", "typed_name", name, tag=name.split()[0])


def _notes(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya = world.child
    # The therapist writes the note's text when starting it, the assistant in the editor
    # (the other form leaves it as it is): each field through both forms.
    for author, at_start in ((world.therapist, True), (world.assistant, False)):
        writer = client(author)
        response = fill_and_post(
            writer,
            corpus,
            "new session note",
            reverse("notes:new", args=[maya.id]),
            data={
                "goals": [g.id for g in active_goals(maya)],
                "start_time": "09:00",
                "end_time": "09:45",
            },
            leave=() if at_start else NOTE_TEXT,
        )
        note = id_in(response)
        edit = reverse("notes:edit", args=[maya.id, note])
        fill_and_post(
            writer,
            corpus,
            f"session note ({author.licence or 'therapist'})",
            edit,
            action=edit,
            post_to=reverse("notes:sign", args=[maya.id, note]),
            data={"start_time": "09:00", "end_time": "09:45"}
            | {f"goal-{g.id}-count": "3" for g in active_goals(maya)}
            | {f"goal-{g.id}-gas_level": "0" for g in active_goals(maya)}
            # A second observer's record is data (a count, 1/0s, a duration), not text.
            | {f"goal-{g.id}-ioa_record": "" for g in active_goals(maya)},
            leave=NOTE_TEXT if at_start else (),
        )
        corpus.ids[f"note-{author.pk}"] = note
    signed = corpus.ids[f"note-{world.therapist.pk}"]
    detail = reverse("notes:detail", args=[maya.id, signed])
    fill_and_post(
        client(world.therapist),
        corpus,
        "addendum",
        detail,
        action=reverse("notes:addendum", args=[maya.id, signed]),
    )
    waiting = corpus.ids[f"note-{world.assistant.pk}"]
    fill_and_post(
        client(world.therapist),
        corpus,
        "sent back to the assistant",
        reverse("notes:detail", args=[maya.id, waiting]),
        action=reverse("notes:send_back", args=[maya.id, waiting]),
    )


def _home_program(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya = world.child
    goals = [str(g.id) for g in active_goals(maya)]
    tag, handout = named_pdf(corpus)
    response = fill_and_post(
        client(world.therapist),
        corpus,
        "home activity",
        reverse("homeprogram:activity_new", args=[maya.id]),
        data={"goals": goals, "handout": handout},
    )
    corpus.note("home activity", "handout's file name", str(handout.name), tag=tag)
    activity = HomeActivity.objects.filter(child=maya).latest("created_at")
    family = client(world.guardian)
    home = reverse("homeprogram:index", args=[maya.id])
    tap = family.post(
        reverse("homeprogram:log_new", args=[maya.id, activity.id]), {"outcome": "partly"}
    )
    assert tap.status_code == 302, tap.status_code
    log = PracticeLog.objects.get(activity=activity)
    fill_and_post(
        family,
        corpus,
        "practice log",
        home,
        action=reverse("homeprogram:log_update", args=[maya.id, log.id]),
        form_has="note",
        data={"barrier": "other"},
    )
    page = reverse("homeprogram:observation_new", args=[maya.id])
    fill_and_post(family, corpus, "observation (family)", page)
    del response


def _sharing(corpus: Corpus, world: World, client: ClientFor) -> None:
    """The parent shares every part of Maya's record with a teacher, who then posts an
    observation."""
    maya, teacher = world.child, world.collaborator
    later = clinic_today() + datetime.timedelta(days=60)
    fill_and_post(
        client(world.guardian),
        corpus,
        "consent",
        reverse("consent:index", args=[maya.id]),
        action=reverse("consent:grant", args=[maya.id]),
        data={
            "email": teacher.user.email,
            "first_name": teacher.user.first_name,
            "last_name": teacher.user.last_name,
            "can_see_summary": "on",
            "can_post_observations": "on",
            "can_read_notes": "on",
            "expires_on": later.isoformat(),
        },
    )
    page = reverse("collaborators:observe", args=[maya.id])
    fill_and_post(client(teacher), corpus, "observation (collaborator)", page)


def _messages(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya = world.child
    thread = reverse("messaging:index", args=[maya.id])
    post = reverse("messaging:post", args=[maya.id])
    for author in (world.guardian, world.therapist):
        fill_and_post(client(author), corpus, f"message ({author.role})", thread, action=post)
    tag, letter = named_pdf(corpus)
    fill_and_post(
        client(world.guardian), corpus, "message", thread, action=post, data={"attachment": letter}
    )
    # Kept as a label without quotes or angle brackets (messaging.uploads.display_name).
    corpus.note("message attachment", "file name", display_name(str(letter.name)), tag=tag)
    fill_and_post(
        client(world.therapist),
        corpus,
        "SBAR hand-off",
        reverse("messaging:handoff_new", args=[maya.id]),
        data={"recipient": str(world.assistant.pk)},
    )
    schedule = reverse("messaging:checkin_schedule", args=[maya.id])
    fill_and_post(
        client(world.therapist),
        corpus,
        "check-in schedule",
        schedule,
        data={"next_due_on": clinic_today().isoformat(), "is_active": "on"},
    )
    fill_and_post(
        client(world.guardian),
        corpus,
        "check-in",
        reverse("messaging:checkin", args=[maya.id]),
        data={"wellbeing": "2"},
    )


def _assessments(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya, therapist = world.child, client(world.therapist)
    response = fill_and_post(
        therapist,
        corpus,
        "evaluation",
        reverse("assessments:new", args=[maya.id]),
        data={"status": "final", "evaluated_on": clinic_today().isoformat()},
    )
    evaluation = id_in(response)
    corpus.ids["evaluation"] = evaluation
    for slug in ("parent_intake", "sensory_behaviour"):
        fill_and_post(
            therapist,
            corpus,
            f"questionnaire {slug}",
            reverse("assessments:questionnaire", args=[maya.id, evaluation, slug]),
            data={"save_draft": "1"},  # a draft: unanswered questions may wait
        )
    scores = reverse("assessments:scores", args=[maya.id, evaluation])
    select = parse(therapist.get(scores).content.decode()).find(".//select[@name='instrument']")
    assert select is not None
    instrument = next(o.get("value") for o in select.iter("option") if o.get("value"))
    fill_and_post(
        therapist,
        corpus,
        "standardized score",
        f"{scores}?instrument={instrument}",
        data={"instrument": instrument, "raw_score": "12", "standard_score": "95"},
    )


SURFACES = [
    _child_profile,
    _guardian_invited,
    _own_names,
    _plan,
    _plan_signed,
    _notes,
    _home_program,
    _sharing,
    _messages,
    _assessments,
    *CLINIC_SURFACES,
]


def write_everything(world: World, client: ClientFor) -> Corpus:
    corpus = Corpus()
    for surface in SURFACES:
        surface(corpus, world, client)
    return corpus
