"""The plans API: every role, own and foreign; bad input; conflicts; signatures; query budget."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.appointments.tests.helpers import session_of
from tandem.audit.models import AccessLog
from tandem.children.models import GuardianLink
from tandem.notes.models import GoalData, NoteStatus, SessionNote
from tandem.plans import actions
from tandem.plans.models import Goal, Plan, PlanSignature, PlanStatus
from tandem.plans.tests.helpers import TODAY, first_goal, goal_fields, make_copm, make_plan

pytestmark = pytest.mark.urls("tandem.plans.tests.api_urls")


def api(path):
    return "/api/v1" + path


def plans_path(child):
    return api(f"/children/{child.id}/plans")


def plan_path(plan):
    return api(f"/children/{plan.child_id}/plans/{plan.id}")


def goal_payload(plan, **changes):
    data = goal_fields(**changes)
    data["target_date"] = data["target_date"].isoformat()
    data["plan_id"] = str(plan.id)
    return data


def test_team_and_family_read_plans_and_each_read_is_logged(world, client_as):
    make_copm(make_plan(world.child, world.therapist, goals=2))
    for member in (
        world.admin,
        world.therapist,
        world.consulting_therapist,
        world.assistant,
        world.guardian,
    ):
        response = client_as(member).get(plans_path(world.child))
        assert response.status_code == 200, member
        body = response.json()
        assert len(body) == 1 and len(body[0]["goals"]) == 2
        assert body[0]["copm"]["summary"]["count"] == 1
        assert AccessLog.objects.filter(user=member.user, child=world.child).exists()


def test_outsiders_get_404(world, client_as):
    plan = make_plan(world.child, world.therapist)
    for member in (
        world.other_guardian,
        world.unassigned_therapist,
        world.foreign_admin,
        world.foreign_guardian,
    ):
        client = client_as(member)
        assert client.get(plans_path(world.child)).status_code == 404
        assert client.get(plan_path(plan)).status_code == 404
        assert client.get(api(f"/children/{world.child.id}/goals")).status_code == 404


def test_unauthenticated_is_401(world, client):
    assert client.get(plans_path(world.child)).status_code == 401


def test_guardian_does_not_see_drafts(world, client_as):
    draft = make_plan(world.child, world.therapist, status="draft")
    client = client_as(world.guardian)
    assert client.get(plans_path(world.child)).json() == []
    assert client.get(plan_path(draft)).status_code == 404
    assert client.get(api(f"/children/{world.child.id}/goals")).json() == []


def plan_payload(**changes):
    data = {
        "discipline": "ot",
        "start_date": TODAY.isoformat(),
        "review_date": (TODAY + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(changes)
    return data


def test_editor_creates_a_plan(world, client_as):
    response = client_as(world.therapist).post(
        plans_path(world.child), plan_payload(), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert Plan.objects.filter(child=world.child).count() == 1


def test_read_only_members_get_403_on_writes(world, client_as):
    plan = make_plan(world.child, world.therapist)
    goal = first_goal(plan)
    for member in (world.consulting_therapist, world.guardian):
        client = client_as(member)
        assert (
            client.post(
                plans_path(world.child), plan_payload(), content_type="application/json"
            ).status_code
            == 403
        )
        assert (
            client.patch(
                plan_path(plan),
                {"version": plan.version, "summary": "x"},
                content_type="application/json",
            ).status_code
            == 403
        )
        assert (
            client.post(
                api(f"/children/{world.child.id}/goals"),
                goal_payload(plan),
                content_type="application/json",
            ).status_code
            == 403
        )
        assert (
            client.patch(
                api(f"/children/{world.child.id}/goals/{goal.id}"),
                {"version": goal.version, "status": "met"},
                content_type="application/json",
            ).status_code
            == 403
        )
    assert Plan.objects.get(pk=plan.pk).version == plan.version


@pytest.mark.parametrize(
    "payload",
    [
        {"discipline": "ot", "start_date": "not a date", "review_date": "2030-01-01"},
        {
            "discipline": "ot",
            "start_date": "2030-01-01",
            "review_date": "2030-01-01",
            "surprise": 1,
        },
        {"start_date": "2030-01-01"},
    ],
)
def test_malformed_input_is_422(world, client_as, payload):
    response = client_as(world.therapist).post(
        plans_path(world.child), payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert not Plan.objects.exists()


def test_rule_violations_are_422_with_the_message(world, client_as):
    client = client_as(world.therapist)
    response = client.post(
        plans_path(world.child),
        plan_payload(review_date=(TODAY - datetime.timedelta(days=1)).isoformat()),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert (
        "The review date must be after the start date." in response.json()["detail"]["review_date"]
    )
    response = client.post(
        plans_path(world.child),
        plan_payload(discipline="astrology"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Plan.objects.exists()


def test_stale_patch_is_409_and_changes_nothing(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.therapist)
    ok = client.patch(
        plan_path(plan),
        {"version": plan.version, "summary": "First"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == plan.version + 1
    stale = client.patch(
        plan_path(plan),
        {"version": plan.version, "summary": "Second"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == plan.version + 1
    assert Plan.objects.get(pk=plan.pk).summary == "First"


def test_patch_status_activates_and_closes_the_old_plan(world, client_as):
    old = make_plan(world.child, world.therapist)
    new = make_plan(world.child, world.therapist, status="draft")
    response = client_as(world.admin).patch(
        plan_path(new),
        {"version": new.version, "status": "active"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert Plan.objects.get(pk=old.pk).status == PlanStatus.CLOSED


def test_goals_create_get_patch(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    client = client_as(world.therapist)
    created = client.post(
        api(f"/children/{world.child.id}/goals"),
        goal_payload(plan, child_chosen=True, child_words="I want to"),
        content_type="application/json",
    )
    assert created.status_code == 201
    goal = created.json()
    assert goal["current_gas_level"] == -2 and goal["child_words"] == "I want to"
    path = api(f"/children/{world.child.id}/goals/{goal['id']}")
    assert client.get(path).json()["statement"] == goal["statement"]
    patched = client.patch(
        path,
        {"version": goal["version"], "status": "discontinued"},
        content_type="application/json",
    )
    assert patched.status_code == 422
    assert "Say why" in patched.json()["detail"]["status_reason"][0]
    patched = client.patch(
        path,
        {"version": goal["version"], "status": "discontinued", "status_reason": "Moved"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["status"] == "discontinued"
    stale = client.patch(
        path, {"version": goal["version"], "statement": "x"}, content_type="application/json"
    )
    assert stale.status_code == 409


def test_bad_goal_is_422_and_nothing_is_added(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=0)
    response = client_as(world.therapist).post(
        api(f"/children/{world.child.id}/goals"),
        goal_payload(plan, gas_plus_2="Buttons three buttons independently"),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "gas_plus_2" in response.json()["detail"]
    assert not Goal.objects.filter(plan=plan).exists()


def test_goal_of_another_childs_plan_is_404(world, client_as):
    sibling_plan = make_plan(world.sibling, world.therapist, goals=0)
    response = client_as(world.therapist).post(
        api(f"/children/{world.child.id}/goals"),
        goal_payload(sibling_plan),
        content_type="application/json",
    )
    assert response.status_code == 404


def sign_path(plan):
    return plan_path(plan) + "/signatures"


def test_guardian_signs_through_the_api(world, client_as):
    plan = make_plan(world.child, world.therapist)
    name = world.guardian.user.get_full_name()
    response = client_as(world.guardian).post(
        sign_path(plan),
        {"typed_name": name.lower(), "version": plan.version},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["plan_version"] == plan.version
    assert response.json()["is_for_current_version"]
    assert PlanSignature.objects.get(plan=plan).content_hash == response.json()["content_hash"]
    wrong = client_as(world.guardian).post(
        sign_path(plan),
        {"typed_name": "Nobody", "version": plan.version},
        content_type="application/json",
    )
    assert wrong.status_code == 422
    assert name in wrong.json()["detail"]["typed_name"][0]


def test_signature_of_a_changed_plan_is_409(world, client_as):
    plan = make_plan(world.child, world.therapist)
    response = client_as(world.guardian).post(
        sign_path(plan),
        {"typed_name": world.guardian.user.get_full_name(), "version": plan.version - 1},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_only_a_guardian_with_legal_authority_signs(world, client_as):
    plan = make_plan(world.child, world.therapist)
    for member in (world.admin, world.therapist, world.consulting_therapist):
        response = client_as(member).post(
            sign_path(plan),
            {"typed_name": member.user.get_full_name(), "version": plan.version},
            content_type="application/json",
        )
        assert response.status_code == 403
    assert (
        client_as(world.other_guardian)
        .post(
            sign_path(plan),
            {"typed_name": "x y", "version": plan.version},
            content_type="application/json",
        )
        .status_code
        == 404
    )
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.has_legal_authority = False
    link.save()
    response = client_as(world.guardian).post(
        sign_path(plan),
        {"typed_name": world.guardian.user.get_full_name(), "version": plan.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not PlanSignature.objects.exists()


def test_copm_through_the_api(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.therapist)
    path = plan_path(plan) + "/copm"
    created = client.post(
        path,
        {
            "activity": "Dressing",
            "importance": 9,
            "initial_date": TODAY.isoformat(),
            "initial_performance": 3,
            "initial_satisfaction": 2,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    activity = created.json()
    patched = client.patch(
        api(f"/children/{world.child.id}/copm/{activity['id']}"),
        {
            "reassessed_on": TODAY.isoformat(),
            "reassessed_performance": 6,
            "reassessed_satisfaction": 3,
        },
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["performance_change"] == 3
    assert patched.json()["performance_change_important"]
    assert not patched.json()["satisfaction_change_important"]
    summary = client.get(path).json()["summary"]
    assert summary["performance_change"] == 3.0 and summary["satisfaction_change"] == 1.0
    too_high = client.patch(
        api(f"/children/{world.child.id}/copm/{activity['id']}"),
        {"importance": 11},
        content_type="application/json",
    )
    assert too_high.status_code == 422


def test_goal_bank_for_staff_only(world, client_as, tmp_path, monkeypatch):
    from tandem.plans.models import GoalBankEntry

    GoalBankEntry.objects.create(
        organization=world.org,
        discipline="ot",
        domain="play",
        statement="{child} plays",
        measurement_type="gas_only",
        mastery_criterion="x",
        gas_levels={"-2": "a", "-1": "b", "0": "c", "1": "d", "2": "e"},
    )
    GoalBankEntry.objects.create(
        organization=world.foreign_org,
        discipline="ot",
        domain="play",
        statement="foreign",
        measurement_type="gas_only",
        mastery_criterion="x",
        gas_levels={"-2": "a", "-1": "b", "0": "c", "1": "d", "2": "e"},
    )
    response = client_as(world.therapist).get(api("/goal-bank"), {"domain": "play"})
    assert [e["statement"] for e in response.json()] == ["{child} plays"]
    entry = response.json()[0]
    assert (entry["mastery_value"], entry["mastery_sessions"], entry["lower_is_better"]) == (
        None,
        3,
        False,
    )
    assert client_as(world.guardian).get(api("/goal-bank")).status_code == 404


def test_gas_t_score_uses_latest_signed_note_levels(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=2)
    goals = list(Goal.objects.filter(plan=plan).order_by("position"))
    for day, status, level in (
        (1, NoteStatus.SIGNED, 0),
        (2, NoteStatus.SIGNED, 1),
        (3, NoteStatus.DRAFT, 2),
    ):
        note = SessionNote.objects.create(
            organization=world.org,
            child=world.child,
            author=world.therapist,
            encounter=session_of(
                world.child, world.therapist, TODAY - datetime.timedelta(days=10 - day)
            ),
            date=TODAY - datetime.timedelta(days=10 - day),
            start_time=datetime.time(9),
            end_time=datetime.time(10),
            status=NoteStatus.DRAFT,
        )
        GoalData.objects.create(
            organization=world.org, child=world.child, note=note, goal=goals[0], gas_level=level
        )
        if status == NoteStatus.SIGNED:
            note.status = NoteStatus.SIGNED
            note.signed_at = __import__("django.utils.timezone").utils.timezone.now()
            note.save()
    body = client_as(world.therapist).get(plan_path(plan)).json()
    levels = [g["current_gas_level"] for g in body["goals"]]
    assert levels == [1, -2]  # the draft note's +2 does not count; goal 2 is at baseline
    try:
        from tandem.plans import gas  # noqa: F401
    except ImportError:
        assert body["gas_t_score"] is None
    else:
        # Σwx = 1 - 2 = -1; Σw² = 2; (Σw)² = 4; T = 50 + 10·(-1)/√(0.7·2 + 0.3·4) = 43.8
        assert body["gas_t_score"] == 43.8


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_goals(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=3)
    client = client_as(world.therapist)
    client.get(plans_path(world.child))
    goals_path = api(f"/children/{world.child.id}/goals")
    few = (
        _count(client, plans_path(world.child)),
        _count(client, plan_path(plan)),
        _count(client, goals_path),
    )
    for n in range(27):
        actions.add_goal(plan, **goal_fields(statement=f"Extra goal {n}"))
    many = (
        _count(client, plans_path(world.child)),
        _count(client, plan_path(plan)),
        _count(client, goals_path),
    )
    print("API queries (plans, plan, goals):", few)
    assert many == few
    assert max(many) <= 14


def test_openapi_schema_lists_the_plans_paths(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/children/{child_id}/plans",
        "/api/v1/children/{child_id}/plans/{plan_id}",
        "/api/v1/children/{child_id}/goals",
        "/api/v1/children/{child_id}/goals/{goal_id}",
        "/api/v1/goal-bank",
        "/api/v1/children/{child_id}/plans/{plan_id}/signatures",
        "/api/v1/children/{child_id}/plans/{plan_id}/copm",
        "/api/v1/children/{child_id}/copm/{activity_id}",
    } <= paths
    plan_in = schema["components"]["schemas"]["PlanIn"]
    assert plan_in["additionalProperties"] is False
