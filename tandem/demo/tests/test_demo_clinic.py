"""``manage.py demo_clinic`` builds a believable clinic, once; ``demo_totp`` signs staff in.

The demo is built once for this module (it writes months of notes); each test runs in
a savepoint inside that build, so what one test changes the next does not see.
"""

import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from datetime import time as time_of_day
from io import StringIO
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from tandem.accounts.models import Licence, Membership, Organization, Role, User
from tandem.appointments.models import Appointment, AppointmentStatus, TimeOffer
from tandem.assessments.models import (
    Evaluation,
    GrowthMeasurement,
    MilestoneCheck,
    QuestionnaireResponse,
    StandardizedScore,
)
from tandem.audit.versions import VersionedModel
from tandem.childmode.models import ChildChoice
from tandem.children.access import children_visible_to
from tandem.children.models import CareTeamMember, Child, GuardianLink, TeamRole
from tandem.conftest import sign_in
from tandem.consent.access import shared_with
from tandem.consent.models import ConsentGrant
from tandem.core import clock
from tandem.demo.data.people import PASSWORD
from tandem.groups.models import Enrolment, GroupProgram, GroupSession
from tandem.homeprogram.models import (
    Barrier,
    HomeActivity,
    Observation,
    PracticeLog,
    RecorderRole,
    Setting,
    week_start,
)
from tandem.messaging.models import CheckIn, CheckInSchedule, Handoff, Message, MessageReceipt
from tandem.notes.actions import is_intact
from tandem.notes.models import Addendum, GoalData, NoteStatus, SessionNote
from tandem.notifications.models import EmailState, Kind, Notification
from tandem.plans.models import CopmActivity, Goal, MeasurementType, Plan, PlanSignature, PlanStatus
from tandem.progress.services import child_progress
from tandem.resources.models import Resource, ResourceAssignment, Workshop

# One test worker runs the module, so the demo is built once a run (``--dist loadgroup``).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("demo"),
    pytest.mark.xdist_group("demo_clinic"),
]

RIVERSIDE = "Riverside Pediatric Therapy"
DEMO_ZONE = "America/Chicago"  # both demo clinics' time zone
LAKESIDE = "Lakeside Kids Therapy"


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Build the demo once (its handout files in a temporary folder); roll it back when
    the module is done."""
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


def build() -> str:
    out = StringIO()
    call_command("demo_clinic", stdout=out)
    return out.getvalue()


def member(email: str) -> Membership:
    return Membership.objects.select_related("organization").get(user__email=email)


def lead_of(child: Child) -> Membership:
    return child.care_team.select_related("therapist").get(role=TeamRole.LEAD).therapist


def child_named(first_name: str) -> Child:
    return Child.objects.get(first_name=first_name)


def test_it_builds_both_clinics_and_prints_the_logins(demo: str) -> None:
    output = demo

    assert set(Organization.objects.values_list("name", "timezone")) == {
        (RIVERSIDE, "America/Chicago"),
        (LAKESIDE, "America/Chicago"),
    }
    assert PASSWORD in output
    assert "admin@riverside.example" in output
    assert "admin@lakeside.example" in output


def test_riverside_has_an_admin_therapists_of_each_discipline_and_a_supervised_assistant() -> None:
    staff = Membership.objects.filter(organization__name=RIVERSIDE)

    assert staff.filter(role=Role.ADMIN).count() == 1
    licensed = staff.filter(role=Role.THERAPIST, licence=Licence.LICENSED)
    assert set(licensed.values_list("discipline", flat=True)) >= {"ot", "pt", "slp", "behavioral"}
    assistant = staff.get(licence=Licence.ASSISTANT)
    assert assistant.discipline == "ot"
    assert assistant.supervisor is not None
    assert assistant.supervisor.discipline == "ot"
    assert assistant.supervisor.licence == Licence.LICENSED


def test_children_are_between_eighteen_months_and_twelve_years_with_coded_diagnoses() -> None:
    children = Child.objects.filter(organization__name=RIVERSIDE).prefetch_related("diagnoses")
    today = clock.today_for(DEMO_ZONE)

    assert 12 <= children.count() <= 16
    for child in children:
        years, months = child.age_on(today)
        assert 18 <= years * 12 + months < 12 * 12, child
        assert child.diagnoses.exists(), child
        assert child.interests and child.strengths and child.challenges, child
        assert child.guardian_links.exists(), child
        assert child.care_team.filter(role=TeamRole.LEAD).count() == 1, child
    codes = set(children.values_list("diagnoses__code", flat=True))
    assert codes >= {"F84.0", "F82", "F80.1", "F80.2", "F88", "F90.0", "R62.50", "G80.1", "Q90.9"}


def test_care_teams_use_every_team_role() -> None:
    roles = CareTeamMember.objects.filter(organization__name=RIVERSIDE).values_list(
        "role", flat=True
    )
    assert set(roles) == {TeamRole.LEAD, TeamRole.TREATING, TeamRole.CONSULTING}


def test_one_family_has_two_children() -> None:
    anjali = member("anjali.patel@mail.example")
    children = children_visible_to(anjali)
    assert sorted(child.first_name for child in children) == ["Anaya", "Dev"]


def test_one_child_lives_in_two_households() -> None:
    links = GuardianLink.objects.filter(child__first_name="Ava", child__last_name="Thompson")
    households = {link.household for link in links}
    assert len(links) == 2
    assert len(households) == 2
    assert "" not in households


def test_some_families_use_tandem_in_spanish() -> None:
    assert member("maria.hernandez@mail.example").user.language == "es"
    spanish = Membership.objects.filter(role=Role.GUARDIAN, user__language="es")
    assert spanish.count() >= 3


def test_the_teacher_sees_only_the_child_whose_guardian_shared_a_summary_with_her() -> None:
    teacher = Membership.objects.get(organization__name=RIVERSIDE, role=Role.COLLABORATOR)
    client = sign_in(Client(), teacher)
    ethan, anaya = child_named("Ethan"), child_named("Anaya")

    assert "teacher" in teacher.title.lower()
    assert not children_visible_to(teacher).exists()  # no record of her own
    (grant,) = shared_with(teacher)
    assert grant.child == ethan
    assert (grant.can_see_summary, grant.can_post_observations, grant.can_read_notes) == (
        True,
        True,
        False,
    )
    assert grant.granted_by.user.email == "kevin.miller@mail.example"
    assert client.get(reverse("collaborators:child", args=[ethan.id])).status_code == 200
    assert client.get(reverse("collaborators:notes", args=[ethan.id])).status_code == 404
    assert client.get(reverse("collaborators:child", args=[anaya.id])).status_code == 404


def test_the_two_clinics_share_nothing() -> None:
    lakeside_admin = member("admin@lakeside.example")
    riverside_admin = member("admin@riverside.example")

    lakeside_children = set(children_visible_to(lakeside_admin))
    riverside_children = set(children_visible_to(riverside_admin))
    assert len(lakeside_children) == 1
    assert lakeside_children.isdisjoint(riverside_children)
    for link in GuardianLink.objects.select_related("guardian", "child"):
        assert link.guardian.organization_id == link.child.organization_id == link.organization_id
    for seat in CareTeamMember.objects.select_related("therapist", "child"):
        assert seat.therapist.organization_id == seat.child.organization_id


def test_every_account_signs_in_with_the_demo_password_and_staff_have_an_authenticator() -> None:
    """Everyone who works at the clinic (the front desk and billing too) signs in with MFA."""
    roles = set()
    for membership in Membership.objects.select_related("user"):
        roles.add(membership.role)
        assert membership.user.check_password(PASSWORD), membership
        has_totp = Authenticator.objects.filter(
            user=membership.user, type=Authenticator.Type.TOTP
        ).exists()
        assert has_totp == membership.works_at_clinic, membership
    assert {Role.FRONT_DESK, Role.BILLING} <= roles  # a demo login for each role


def test_running_it_twice_changes_nothing() -> None:
    counts = (User.objects.count(), Child.objects.count(), GuardianLink.objects.count())

    output = build()

    assert "already exist" in output
    assert (User.objects.count(), Child.objects.count(), GuardianLink.objects.count()) == counts


def goal_series() -> list[tuple[str, str, object, float | None, int | None]]:
    """Every goal's data: child, goal, session date, value, GAS level."""
    rows = GoalData.objects.values_list(
        "child__first_name", "goal__statement", "note__date", "value", "gas_level"
    )
    return sorted(rows, key=str)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="signed notes stay on PostgreSQL")
def test_reset_rebuilds_the_same_demo_and_leaves_other_clinics_alone() -> None:
    other = Organization.objects.create(name="Another clinic")
    before = Organization.objects.get(name=RIVERSIDE).pk
    rebuilt: tuple[type[Model], ...]
    rebuilt = (User, Child, CareTeamMember, HomeActivity, PracticeLog, Observation, Message)
    rebuilt += (Appointment, ConsentGrant, Resource, ResourceAssignment, Workshop, ChildChoice)
    counts = [model._default_manager.count() for model in rebuilt]
    series = goal_series()
    readings = sorted(StandardizedScore.objects.values_list("interpretation", flat=True))

    # Built while the process speaks Spanish (a test or a request before it): the records
    # are written in English all the same (a score's interpretation is stored text).
    with translation.override("es"):
        call_command("demo_clinic", "--reset", stdout=StringIO())

    assert Organization.objects.get(name=RIVERSIDE).pk != before
    assert Organization.objects.filter(pk=other.pk).exists()
    assert [model._default_manager.count() for model in rebuilt] == counts
    assert goal_series() == series
    assert "Below average" in readings
    assert sorted(StandardizedScore.objects.values_list("interpretation", flat=True)) == readings


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL refuses the reset")
def test_reset_refuses_on_postgresql_where_signed_notes_cannot_be_deleted() -> None:
    counts = (Organization.objects.count(), SessionNote.objects.count())

    with pytest.raises(CommandError, match="signed session notes"):
        call_command("demo_clinic", "--reset", stdout=StringIO())

    assert (Organization.objects.count(), SessionNote.objects.count()) == counts


@override_settings(DEBUG=False, TESTING=False)
def test_it_refuses_to_run_in_production() -> None:
    organizations = Organization.objects.count()

    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("demo_clinic", "--reset", stdout=StringIO())

    assert Organization.objects.count() == organizations


def test_demo_totp_prints_a_code_that_allauth_accepts() -> None:
    if 30 - time.time() % 30 < 2:  # let the code printed still be current when checked
        time.sleep(30 - time.time() % 30 + 0.1)
    out = StringIO()

    call_command("demo_totp", "ot@riverside.example", stdout=out, stderr=StringIO())

    code = out.getvalue().strip()
    assert len(code) == 6
    assert code.isdigit()
    authenticator = Authenticator.objects.get(
        user__email="ot@riverside.example", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(code)


def test_demo_totp_tells_when_a_user_has_no_authenticator() -> None:
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_totp", "maria.hernandez@mail.example", stdout=StringIO())


# --- The clinical record --------------------------------------------------------


def test_every_child_has_an_active_plan_with_two_to_four_measurable_goals() -> None:
    for child in Child.objects.all():
        plan = Plan.objects.get(child=child, status=PlanStatus.ACTIVE)
        goals = list(plan.goals.all())
        assert 2 <= len(goals) <= 4, child
        for goal in goals:
            assert goal.gas_minus_2 and goal.gas_0 and goal.gas_plus_2, goal
            assert goal.family_priority is not None, goal
            if goal.measurement_type != MeasurementType.GAS_ONLY:
                assert goal.mastery_value is not None, goal
    assert Goal.objects.filter(bank_entry__isnull=False).count() >= 10


def test_some_goals_were_chosen_by_the_child_in_their_own_words() -> None:
    chosen = Goal.objects.filter(child_chosen=True)

    assert chosen.count() >= 5
    assert not chosen.filter(child_words="").exists()
    emma = child_named("Emma")
    assert Goal.objects.filter(child=emma, child_chosen=False).count() == 0


def test_guardians_signed_every_plan_but_one_which_awaits_their_signature() -> None:
    awaiting = []
    for plan in Plan.objects.filter(status=PlanStatus.ACTIVE).select_related("child"):
        signatures = plan.signatures.select_related("guardian")
        if not signatures.filter(plan_version=plan.version).exists():
            awaiting.append(plan.child.first_name)
        for signature in signatures:
            link = GuardianLink.objects.get(child=plan.child, guardian=signature.guardian)
            assert link.has_legal_authority, signature
    assert awaiting == ["Zoe"]
    assert Plan.objects.get(child__first_name="Zoe").signatures.exists()  # an earlier version
    assert Plan.objects.get(child__first_name="Ava").signatures.count() == 2  # both homes


def test_one_child_has_copm_ratings_first_and_again() -> None:
    activities = CopmActivity.objects.all()

    assert {a.child.first_name for a in activities} == {"Anaya"}
    assert all(a.reassessed_on and a.performance_change is not None for a in activities)
    assert any((a.performance_change or 0) >= 2 for a in activities)


def test_children_were_evaluated_with_questionnaire_scores_milestones_and_growth() -> None:
    today = clock.today_for(DEMO_ZONE)
    for child in Child.objects.all():
        evaluation = Evaluation.objects.get(child=child)
        assert evaluation.is_final and evaluation.summary, child
        assert QuestionnaireResponse.objects.filter(
            evaluation=evaluation, questionnaire="parent_intake", status="completed"
        ).exists(), child
        scores = StandardizedScore.objects.filter(evaluation=evaluation).select_related(
            "instrument"
        )
        assert scores.exists(), child
        assert all(s.instrument.organization_id == child.organization_id for s in scores)
        under_five = child.age_on(evaluation.evaluated_on)[0] < 5
        assert MilestoneCheck.objects.filter(evaluation=evaluation).exists() == under_five
        growth = GrowthMeasurement.objects.filter(child=child)
        assert growth.count() >= 2, child
        assert all(m.results["height"]["centile"] is not None for m in growth), child
        assert evaluation.evaluated_on < today - timedelta(days=90)


def test_every_child_has_weekly_signed_notes_over_several_months_up_to_last_week() -> None:
    today = clock.today_for(DEMO_ZONE)
    for child in Child.objects.all():
        # Their own weekly sessions (a group's notes come on top of them).
        dates = sorted(
            SessionNote.objects.filter(child=child, status=NoteStatus.SIGNED)
            .exclude(service_type="group")
            .values_list("date", flat=True)
        )
        assert len(dates) >= 12, child
        assert (dates[-1] - dates[0]).days >= 90, child
        assert today - dates[-1] <= timedelta(days=16), child
        assert all((b - a).days == 7 for a, b in pairwise(dates)), child


def test_notes_are_signed_on_the_day_of_the_session_and_locked() -> None:
    chicago = ZoneInfo("America/Chicago")  # both demo clinics' time zone
    for note in SessionNote.objects.filter(status=NoteStatus.SIGNED)[:50]:
        signed_on = timezone.localtime(note.signed_at, chicago)
        assert signed_on.date() == note.date, note
        assert note.content_hash


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, ZoneInfo(DEMO_ZONE))


def test_notes_carry_the_moment_they_were_written_in_their_times_and_history() -> None:
    """The demo gives each action its moment (``at=``), not a patched clock: a note is
    written and signed 75 minutes after its session ends, co-signed the next morning."""
    for note in SessionNote.objects.filter(status=NoteStatus.SIGNED).order_by("date")[:60]:
        session_end = datetime.combine(note.date, note.end_time, tzinfo=ZoneInfo(DEMO_ZONE))
        assert note.signed_at == session_end + timedelta(minutes=75), note
        assert note.created_at == note.signed_at, note
        versions = list(
            note.history.order_by("history_date").values_list("history_date", flat=True)
        )
        assert versions[0] == note.created_at, note
        if note.cosigned_at is None:
            assert note.updated_at == versions[-1] == note.signed_at, note
        else:
            assert local(note.cosigned_at) == datetime.combine(
                note.date + timedelta(days=1), time_of_day(8, 45), tzinfo=ZoneInfo(DEMO_ZONE)
            )
            assert note.updated_at == versions[-1] == note.cosigned_at, note
    addendum = Addendum.objects.select_related("note").get()
    assert local(addendum.created_at) == datetime.combine(
        addendum.note.date + timedelta(days=2), time_of_day(9, 10), tzinfo=ZoneInfo(DEMO_ZONE)
    )


def test_signed_notes_and_the_addendum_still_match_their_seals() -> None:
    signed = SessionNote.objects.exclude(status=NoteStatus.DRAFT).prefetch_related(
        "goal_data", "addenda"
    )
    assert signed.count() > 100
    for note in signed:
        assert is_intact(note, list(note.goal_data.all()), list(note.addenda.all())), note


def test_records_and_their_versions_are_dated_when_they_were_written_not_when_built() -> None:
    built = Organization.objects.get(name=RIVERSIDE).created_at
    versioned: tuple[VersionedModel, ...] = (Child, Evaluation, GrowthMeasurement, Plan, Goal)
    versioned += (GoalData, PracticeLog)
    for model in versioned:
        rows = model.objects.filter(organization__name=RIVERSIDE)
        assert rows.exists(), model
        assert not rows.filter(created_at__gte=built).exists(), model
        versions = model.history.filter(organization_id=rows[0].organization_id)
        assert not versions.filter(history_date__gte=built).exists(), model
    for child in Child.objects.filter(plans__isnull=False).distinct():
        assert local(child.created_at).time() == time_of_day(10), child  # referred at 10:00
        assert child.history.earliest("history_date").history_date == child.created_at
    for signature in PlanSignature.objects.select_related("plan"):
        assert signature.signed_at == signature.created_at
        assert local(signature.signed_at) == datetime.combine(
            signature.plan.start_date + timedelta(days=2),
            time_of_day(19, 30),
            tzinfo=ZoneInfo(DEMO_ZONE),
        )
    yesterday = clock.today_for(DEMO_ZONE) - timedelta(days=1)
    assert {local(c.chosen_at).date() for c in ChildChoice.objects.all()} == {yesterday}


def test_the_build_leaves_the_clock_as_it_was() -> None:
    assert timezone.now.__module__ == "django.utils.timezone"
    assert abs(timezone.now() - clock.now()) < timedelta(seconds=5)


def test_goal_data_match_each_goals_measurement_and_reach_a_gas_level() -> None:
    recorded: dict[str, str] = {
        MeasurementType.PERCENT_TRIALS: "trials",
        MeasurementType.FREQUENCY: "count",
        MeasurementType.DURATION: "duration_seconds",
        MeasurementType.RATING: "rating",
        MeasurementType.TASK_ANALYSIS: "steps_done",
    }
    data = GoalData.objects.filter(note__status=NoteStatus.SIGNED).select_related("goal")
    for entry in data:
        assert entry.gas_level is not None, entry
        field = recorded.get(entry.goal.measurement_type)
        if field is None:
            assert entry.value is None, entry
        else:
            assert getattr(entry, field) not in (None, []), entry
            assert entry.value is not None, entry


def test_progress_flags_a_plateau_and_a_regression_and_most_goals_improve() -> None:
    flagged: dict[str, list[tuple[str, str]]] = {"plateau": [], "regression": []}
    improving = total = 0
    for child in Child.objects.all():
        for progress in child_progress(lead_of(child), child).goals:
            analysis = progress.analysis
            total += 1
            improving += analysis.mastered or analysis.direction == "improving"
            for flag, found in flagged.items():
                if getattr(analysis, flag):
                    found.append((child.first_name, progress.goal.domain))

    assert flagged["plateau"] == [("Emma", "fine_motor")]  # handwriting
    assert flagged["regression"] == [("Ethan", "emotional_regulation")]  # calming strategy
    assert improving >= total * 2 / 3


def test_an_assistants_note_awaits_the_supervisors_co_signature() -> None:
    waiting = SessionNote.objects.get(status=NoteStatus.AWAITING_COSIGN)

    assert waiting.child.first_name == "Anaya"
    assert waiting.author.licence == Licence.ASSISTANT
    assert waiting.cosigned_at is None
    assert waiting.date == SessionNote.objects.filter(child=waiting.child).latest("date").date
    cosigned = SessionNote.objects.filter(author=waiting.author, status=NoteStatus.SIGNED)
    assert cosigned.exists()
    assert all(n.cosigned_by_id == waiting.author.supervisor_id for n in cosigned)


def test_one_note_is_a_draft_and_one_signed_note_has_an_addendum() -> None:
    draft = SessionNote.objects.get(status=NoteStatus.DRAFT)
    addendum = Addendum.objects.select_related("note").get()

    assert draft.child.first_name == "Jayden"
    assert draft.signed_at is None
    assert addendum.note.status == NoteStatus.SIGNED
    assert addendum.note.signed_at is not None
    assert addendum.created_at > addendum.note.signed_at


def test_the_lead_therapist_opens_a_demo_childs_progress_page() -> None:
    ethan = child_named("Ethan")
    client = sign_in(Client(), lead_of(ethan))

    response = client.get(reverse("progress:index", args=[ethan.id]))

    assert response.status_code == 200


# --- Between sessions: home programs, observations, messages, consent, resources -------


def test_every_child_with_a_story_has_a_home_program_logged_over_the_last_weeks() -> None:
    today = clock.today_for(DEMO_ZONE)
    for child in Child.objects.filter(plans__isnull=False).distinct():
        activities = HomeActivity.objects.filter(child=child)
        assert activities.exists(), child
        assert all(activity.goals.exists() for activity in activities), child
        weeks = {
            week_start(day)
            for day in PracticeLog.objects.filter(child=child).values_list("date", flat=True)
        }
        assert len(weeks) >= 5, child
        assert max(weeks) >= week_start(today) - timedelta(weeks=1), child


def overall_adherence(child: Child) -> int:
    client = sign_in(Client(), lead_of(child))
    page = client.get(reverse("homeprogram:adherence", args=[child.id])).content.decode()
    match = re.search(r"Overall: (\d+) %", page)
    assert match, page
    return int(match[1])


def test_one_family_practises_less_lately_and_says_what_got_in_the_way() -> None:
    ethan = child_named("Ethan")
    client = sign_in(Client(), lead_of(ethan))

    page = client.get(reverse("homeprogram:adherence", args=[ethan.id])).content.decode()

    assert "Bedtime is a battle right now" in page
    others = [overall_adherence(child_named(name)) for name in ("Anaya", "Mateo", "Liam")]
    assert overall_adherence(ethan) < min(others) - 15
    lately = PracticeLog.objects.filter(
        child=ethan, date__gte=clock.today_for(DEMO_ZONE) - timedelta(weeks=3)
    )
    assert lately.filter(barrier__in=[Barrier.NO_TIME, Barrier.REFUSED, Barrier.OTHER]).count() >= 3


def test_skills_are_seen_at_home_at_school_and_out_and_about_by_family_and_teacher() -> None:
    observations = Observation.objects.filter(organization__name=RIVERSIDE)

    assert set(observations.values_list("setting", flat=True)) >= {
        Setting.HOME,
        Setting.SCHOOL,
        Setting.COMMUNITY,
    }
    assert set(observations.values_list("recorder_role", flat=True)) == {
        RecorderRole.FAMILY,
        RecorderRole.COLLABORATOR,
    }
    teacher_seen = observations.filter(recorder_role=RecorderRole.COLLABORATOR)
    assert {o.child.first_name for o in teacher_seen} == {"Ethan"}


def test_families_and_therapists_write_to_each_other_and_some_messages_are_still_unread() -> None:
    maria = member("maria.hernandez@mail.example")
    client = sign_in(Client(), maria)

    home = client.get(reverse("homeprogram:family_home")).content.decode()

    assert re.search(r"\d+ mensajes? nuevos?", home)  # María uses Tandem in Spanish
    mateo = child_named("Mateo")
    thread = client.get(reverse("messaging:index", args=[mateo.id])).content.decode()
    assert "más tren" in thread
    families_writing = Message.objects.filter(from_family=True).values("child").distinct()
    assert families_writing.count() >= 4
    assert MessageReceipt.objects.filter(reader__role=Role.THERAPIST).exists()


def test_an_sbar_hand_off_and_a_check_in_that_asks_the_team_to_reach_out() -> None:
    ethan = child_named("Ethan")
    handoff = Handoff.objects.get(child=ethan)
    assert (handoff.author.discipline, handoff.recipient.discipline) == ("ot", "behavioral")
    assert all((handoff.situation, handoff.background, handoff.assessment, handoff.recommendation))

    checkins = CheckIn.objects.filter(child=ethan).order_by("created_at")
    assert [c.wellbeing for c in checkins] == [4, 3, 2]
    last = checkins.last()
    assert last is not None and last.needs_support
    flagged = Notification.objects.filter(child=ethan, kind=Kind.CHECKIN_FLAG)
    assert lead_of(ethan) in {n.recipient for n in flagged}
    schedule = CheckInSchedule.objects.get(child=child_named("Mateo"))
    assert schedule.is_due(clock.today_for(DEMO_ZONE))


def test_no_demo_email_is_left_waiting_to_be_sent() -> None:
    assert not Notification.objects.filter(email_state=EmailState.PENDING).exists()


def test_families_have_resources_for_them_a_printable_handout_and_workshops() -> None:
    kevin = member("kevin.miller@mail.example")
    client = sign_in(Client(), kevin)
    ethan = child_named("Ethan")

    page = client.get(reverse("resources:child", args=[ethan.id])).content.decode()

    assert "Heavy work at home" in page
    assert "Looking after yourself, too" in page
    handout = Resource.objects.get(title="Backpack checklist")
    download = client.get(reverse("resources:file") + f"?id={handout.id}")
    assert download.status_code == 404  # not shared with Kevin's family
    jessica = sign_in(Client(), member("jessica.thompson@mail.example"))
    download = jessica.get(reverse("resources:file") + f"?id={handout.id}")
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")
    workshops = Workshop.objects.filter(organization__name=RIVERSIDE)
    assert {w.language for w in workshops} == {"en", "es"}
    assert all(w.starts_at > timezone.now() and w.registrations.exists() for w in workshops)


def test_every_child_with_a_story_has_sessions_booked_ahead_and_each_note_its_session() -> None:
    now = timezone.now()
    for child in Child.objects.filter(plans__isnull=False).distinct():
        appointments = Appointment.objects.filter(child=child)
        ahead = appointments.filter(
            encounter__starts_at__gt=now, status=AppointmentStatus.SCHEDULED
        )
        assert ahead.count() >= 3, child
        notes = SessionNote.objects.filter(child=child)
        attended = appointments.filter(status=AppointmentStatus.ATTENDED)
        assert attended.count() == notes.count() > 0, child
        assert set(notes.values_list("encounter_id", flat=True)) == set(
            attended.values_list("encounter_id", flat=True)
        ), child


def test_children_picked_from_their_choice_board_for_the_therapist_to_see() -> None:
    ethan = child_named("Ethan")
    client = sign_in(Client(), lead_of(ethan))

    page = client.get(reverse("childmode:choices", args=[ethan.id])).content.decode()

    assert "Trampolines" in page
    assert ChildChoice.objects.filter(child__organization__name=RIVERSIDE).count() >= 3


def test_a_group_of_four_with_its_notes_in_each_childs_record() -> None:
    program = GroupProgram.objects.get(organization__name=RIVERSIDE)
    enrolled = Enrolment.objects.filter(program=program, status="enrolled")
    names = {e.child.first_name for e in enrolled}
    assert names == {"Mateo", "Zoe", "Ethan", "Isabella"}
    now = timezone.now()
    past = GroupSession.objects.filter(program=program, encounter__starts_at__lt=now)
    assert past.count() >= 2
    noted = SessionNote.objects.filter(encounter__group__program=program, status="signed")
    for child in (e.child for e in enrolled):
        assert noted.filter(child=child).exists(), child
    # The data of the goals it works on lands in the children's charts.
    charted = GoalData.objects.filter(note__in=noted).values_list("child__first_name", flat=True)
    assert set(charted) == {"Mateo", "Zoe", "Isabella"}
    # Each family sees their own child's group, and no other child of it.
    zoe = child_named("Zoe")
    guardian = GuardianLink.objects.filter(child=zoe).select_related("guardian")[0].guardian
    client = sign_in(Client(), guardian)
    for url in (
        reverse("groups:family", args=[zoe.id]),
        reverse("appointments:family"),
        reverse("notes:index", args=[zoe.id]),
    ):
        page = client.get(url).content.decode()
        assert [other for other in ("Mateo", "Ethan", "Isabella") if other in page] == [], url
    assert "Friends club" in client.get(reverse("groups:family", args=[zoe.id])).content.decode()
    # Staff see who else the group would suit.
    office = sign_in(
        Client(), Membership.objects.get(organization=program.organization, role="front_desk")
    )
    assert office.get(reverse("groups:detail", args=[program.id])).context["candidates"]


def test_a_family_has_times_to_choose_from() -> None:
    amara = child_named("Amara")
    offered = TimeOffer.objects.filter(child=amara, status="open")
    assert offered.count() == 3
    assert all(o.starts_at > timezone.now() for o in offered)
    guardian = GuardianLink.objects.filter(child=amara).select_related("guardian")[0].guardian
    page = sign_in(Client(), guardian).get(reverse("appointments:family")).content.decode()
    assert "Choose a time" in page


def test_billing_has_a_sliding_scale_family_an_authorization_running_out_and_a_paid_claim() -> None:
    from tandem.billing.models import Charge, ClaimBatch, FeeAgreement, Payment, Remittance
    from tandem.billing.reading import at_risk
    from tandem.billing.x12.validate import validate

    camila = child_named("Camila")
    agreement = FeeAgreement.objects.get(child=camila)
    # 2026 guideline, household of 4: $33,000 (91 FR 1797); $40,000 is 121 % → 60 % off.
    assert (agreement.percent_of_poverty, agreement.discount_percent) == (121, 60)
    charge = Charge.objects.filter(child=camila).first()
    assert charge is not None and charge.discount == (charge.fee * 60 / 100).quantize(charge.fee)
    guardian = GuardianLink.objects.filter(child=camila).select_related("guardian")[0].guardian
    page = sign_in(Client(), guardian).get(reverse("billing:family", args=[camila.id]))
    assert page.status_code == 200
    mateo = child_named("Mateo")
    risky = at_risk(mateo.authorizations.all(), clock.today_for(mateo.organization))
    assert [u.authorization.number for u in risky] == ["BVH-PA-44719"]
    batch = ClaimBatch.objects.get(organization=mateo.organization)
    assert validate(batch.content) == []
    remittance = Remittance.objects.get(organization=mateo.organization)
    assert {row["outcome"] for row in remittance.report} == {"matched"}
    assert Payment.objects.filter(remittance=remittance).exists()
