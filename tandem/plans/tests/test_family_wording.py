"""Goals in the family's words: families, teachers and the child read the family and child
wordings, in their language, never the clinical SMART statement; the family report reads
at grade 8 or below (Flesch–Kincaid) in English and easily (Fernández-Huerta) in Spanish."""

import datetime
import html
import re

import pytest
import textstat
from django.contrib.messages import get_messages
from django.urls import reverse

from tandem.notes.models import SessionNote
from tandem.plans import actions, goal_bank, wording
from tandem.plans.models import Domain, Goal, GoalBankEntry
from tandem.plans.tests.helpers import TODAY, goal_fields, make_plan
from tandem.progress.tests.helpers import make_goal, record_sessions

from .clinical_text import ClinicalText, pages

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CLINICAL = (
    "By the review date Maya will use a two word phrase to request in 80 percent of "
    "opportunities across 3 consecutive sessions",
    "By the review date Maya will fasten five half inch buttons on a worn coat in 4 of 5 trials",
    "By the review date Maya will tolerate hair brushing for 2 minutes with one protest",
    "By the review date Noah will hop on one foot five times in a row on each side",
)
FAMILY_EN = "Maya will ask for things with two words, like “more juice”."
FAMILY_ES = "Maya va a pedir cosas con dos palabras, como “más jugo”."


@pytest.fixture
def goals(world):
    """An active plan: a goal the therapist worded, one from the goal bank (its drafts
    accepted) that is reached, one written before family wordings existed; sessions."""
    plan = make_plan(world.child, world.therapist, goals=0)
    worded = actions.add_goal(
        plan,
        **goal_fields(
            statement=CLINICAL[0],
            domain="communication",
            family_wording_en=FAMILY_EN,
            family_wording_es=FAMILY_ES,
        ),
    )
    goal_bank.ensure_goal_bank(world.org)
    entry = GoalBankEntry.objects.get(
        organization=world.org,
        domain="self_care",
        statement__startswith="By the review date, {child} will fasten all 5",
    )
    from_bank = goal_bank.fill_from_bank(entry, world.child) | {
        "statement": CLINICAL[1],
        "bank_entry": entry,
        "target_date": TODAY + datetime.timedelta(days=120),
    }
    reached = actions.add_goal(plan, **from_bank)
    reached = actions.set_goal_status(reached, expected_version=reached.version, status="met")
    older = make_goal(plan, statement=CLINICAL[2], domain="sensory_processing")
    days = [TODAY - datetime.timedelta(days=7 * n) for n in (4, 3, 2, 1)]
    record_sessions(
        world.therapist,
        world.child,
        [
            (day, {worded: (20.0 + 15 * i, -2 + i // 2), reached: (40.0 + 20 * i, -1 + i // 2)})
            for i, day in enumerate(days)
        ],
    )
    return worded, reached, older


def record_notes(world):
    """Maya's signed notes, newest first."""
    return list(SessionNote.objects.filter(child=world.child, status="signed").order_by("-date"))


def _text(body: str) -> str:
    """The words a reader reads on a page: the main content without markup or charts."""
    main = body.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", main)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _family_pages(world, worded):
    child = world.child.id
    return [
        reverse("plans:index", args=[child]),
        reverse("progress:index", args=[child]),
        reverse("progress:report", args=[child]),
        reverse("progress:goal_sessions", args=[child, worded.id]),
        reverse("homeprogram:index", args=[child]),
        reverse("homeprogram:goal", args=[child, worded.id]),
        reverse("homeprogram:observation_new", args=[child]),
        reverse("notes:index", args=[child]),
    ]


def _read(client, start, clinical):
    """The pages reached from ``start`` (paths) and what of a clinical goal they show."""
    seen, leaks = set(), []
    for url, body in pages(client, start):
        seen.add(url.split("?")[0])
        leaks += [f"{url}: {leak}" for leak in clinical.leaks(body)]
    return seen, leaks


def test_family_teacher_and_child_pages_never_show_the_clinical_goal(world, client_as, goals):
    worded, reached, _older = goals
    # Noah's record is shared whole with the teacher (Maya's summary only): his goal is
    # on her observe and notes pages.
    noah = make_plan(world.other_child, world.unassigned_therapist, goals=0)
    shared = actions.add_goal(noah, **goal_fields(statement=CLINICAL[3], domain="gross_motor"))
    record_sessions(world.unassigned_therapist, world.other_child, [(TODAY, {shared: (30.0, -1)})])
    clinical = ClinicalText(Goal.objects.all())
    guardian = client_as(world.guardian)
    seen, leaks = _read(guardian, ["/", *_family_pages(world, worded)], clinical)
    assert leaks == [], "\n".join(leaks)
    note = reverse("notes:detail", args=[world.child.id, record_notes(world)[0].id])
    assert note in seen  # a signed note's page, read by the family
    assert FAMILY_EN in html.unescape(
        guardian.get(_family_pages(world, worded)[0]).content.decode()
    )
    teacher = client_as(world.consented_collaborator)
    seen, leaks = _read(teacher, ["/"], clinical)
    assert leaks == [], "\n".join(leaks)
    for name, child in (("child", world.child), ("observe", world.other_child)):
        assert reverse(f"collaborators:{name}", args=[child.id]) in seen
    summary = html.unescape(
        teacher.get(reverse("collaborators:child", args=[world.child.id])).content.decode()
    )
    assert FAMILY_EN in summary and reached.family_wording_en in summary
    assert "Your therapist is writing this goal in plain words." in summary
    guardian.post(reverse("childmode:enter"), {"child": str(world.child.id)})
    child_page = html.unescape(guardian.get(reverse("childmode:home")).content.decode())
    assert "I can do my own buttons." in child_page  # the reached goal's "I can …"
    assert clinical.leaks(child_page) == []


def test_the_check_finds_a_clinical_goal_cut_short_or_in_part(goals):
    worded, _reached, _older = goals
    clinical = ClinicalText([worded])
    assert clinical.leaks(f"<h3>{worded.statement}</h3>")
    assert clinical.leaks(f"<a>{worded.statement[:50]}…</a>")  # cut short (truncatechars)
    middle = " ".join(worded.statement.split()[5:12])
    assert clinical.leaks(f'<span class="sr-only">: {middle}</span>')  # a part of it
    assert clinical.leaks(f'<p data-say="{worded.statement.upper()}"></p>')  # in an attribute
    assert clinical.leaks(f"<p>{worded.family_wording_en}</p>") == []


def test_a_spanish_speaking_family_reads_the_spanish_wording(world, client_as, goals):
    _worded, reached, _older = goals
    world.guardian.user.language = "es"
    world.guardian.user.save()
    body = html.unescape(
        client_as(world.guardian)
        .get(reverse("plans:index", args=[world.child.id]))
        .content.decode()
    )
    assert FAMILY_ES in body and reached.family_wording_es in body
    assert FAMILY_EN not in body and not any(statement in body for statement in CLINICAL)


def test_the_family_report_is_easy_to_read(world, client_as, goals):
    url = reverse("progress:report", args=[world.child.id])
    english = _text(client_as(world.guardian).get(url).content.decode())
    assert FAMILY_EN in english
    grade = textstat.flesch_kincaid_grade(english)  # textstat's defaults: the CMU dictionary
    assert grade <= 8, grade
    world.guardian.user.language = "es"
    world.guardian.user.save()
    spanish = _text(client_as(world.guardian).get(url).content.decode())
    assert FAMILY_ES in spanish
    # Fernández-Huerta 60–70 is "normal" (about grade 8), higher is easier.
    assert wording.ease_es(spanish) >= 60, wording.ease_es(spanish)


def test_every_bank_goal_and_draft_has_plain_family_and_child_words(world):
    goal_bank.ensure_goal_bank(world.org)
    for entry in GoalBankEntry.objects.filter(organization=world.org):
        fields = wording.drafts(world.child, entry.domain, entry)
        assert all(fields.values()), entry.statement
        probe = Goal(statement=entry.statement, **fields)
        assert wording.wording_problems(probe) == {}, entry.statement
        assert wording.readability_warnings(probe) == [], entry.statement
    for domain in Domain.values:
        probe = Goal(statement="", **wording.drafts(world.child, domain))
        assert wording.readability_warnings(probe) == [], domain
    bank_en = " ".join(
        e.family_wording_en for e in GoalBankEntry.objects.filter(organization=world.org)
    )
    assert wording.grade_en(bank_en.replace("{child}", "Maya")) <= 6


def test_the_therapist_accepts_a_draft_or_is_told_what_to_fix(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    old = make_goal(plan, statement=CLINICAL[2], domain="sensory_processing")
    client = client_as(world.therapist)
    url = reverse("plans:goal_edit", args=[world.child.id, old.id])
    page = client.get(url)
    form = page.context["form"]
    assert form.drafted and "We drafted the goal in the family" in page.content.decode()
    assert form.initial["child_wording_en"] == "I can feel OK."
    posted = {k: v for k, v in form.initial.items() if v is not None}
    posted |= {
        "family_wording_en": CLINICAL[2],
        "gas_baseline": -2,
        "gas_weight": 1,
        "mastery_sessions": 3,
    }
    response = client.post(url, posted)
    errors = response.context["form"].errors
    assert "This is the clinical goal" in errors["family_wording_en"][0]
    long = (
        "Notwithstanding considerable interdisciplinary collaboration, Maya's tactile "
        "defensiveness necessitates comprehensive desensitization methodologies."
    )
    response = client.post(url, posted | {"family_wording_en": long})
    assert response.status_code == 302  # saved, with a warning: one sentence scores noisily
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Aim for grade 6" in m for m in warnings), warnings
    old.refresh_from_db()
    assert old.family_wording_en == long
    assert old.family_wording_es.startswith("Maya")  # the draft, accepted
