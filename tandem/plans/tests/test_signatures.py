"""A guardian with legal authority reads the plan and signs it with their typed name."""

import hashlib

from django.urls import reverse

from tandem.children.models import GuardianLink
from tandem.plans import actions, signatures
from tandem.plans.models import Goal, PlanSignature
from tandem.plans.tests.helpers import first_goal, make_plan


def sign_url(plan):
    return reverse("plans:sign", args=[plan.child_id, plan.id])


def full_name(member):
    return member.user.get_full_name()


def test_guardian_signs_the_current_version(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.guardian)
    response = client.post(
        sign_url(plan), {"typed_name": full_name(world.guardian).upper(), "version": plan.version}
    )
    assert response.status_code == 302
    signature = PlanSignature.objects.get(plan=plan)
    assert signature.guardian == world.guardian
    assert signature.plan_version == plan.version
    assert len(signature.content_hash) == 64
    body = client.get(plan.get_absolute_url()).content.decode()
    assert f"Signed by {full_name(world.guardian).upper()}" in body
    assert f"(version {plan.version})" in body
    assert "You have signed this version" in body


def test_the_hash_is_sha256_of_the_plan_and_goals_as_signed(world, client_as):
    plan = make_plan(world.child, world.therapist, goals=2)
    client_as(world.guardian).post(
        sign_url(plan), {"typed_name": full_name(world.guardian), "version": plan.version}
    )
    signature = PlanSignature.objects.get(plan=plan)
    goals = list(Goal.objects.filter(plan=plan))
    expected = signatures.content_hash(plan, goals)
    assert signature.content_hash == expected
    text = __import__("json").dumps(
        signatures.plan_content(plan, goals), sort_keys=True, default=str, ensure_ascii=False
    )
    assert expected == hashlib.sha256(text.encode()).hexdigest()


def test_a_wrong_name_is_refused_and_says_what_to_type(world, client_as):
    plan = make_plan(world.child, world.therapist)
    response = client_as(world.guardian).post(
        sign_url(plan), {"typed_name": "Someone Else", "version": plan.version}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Type your full name exactly as: {full_name(world.guardian)}" in body
    assert 'role="alert"' in body
    assert not PlanSignature.objects.exists()


def test_an_empty_or_one_letter_name_is_refused(world, client_as):
    plan = make_plan(world.child, world.therapist)
    for typed in ("", "A"):
        client_as(world.guardian).post(
            sign_url(plan), {"typed_name": typed, "version": plan.version}
        )
    assert not PlanSignature.objects.exists()


def test_name_matching_is_loose_about_case_spaces_and_dots():
    class User:
        def get_full_name(self):
            return "Ana María Okafor"

    class Member:
        user = User()

    assert signatures.name_matches("  ana   maría OKAFOR ", Member())
    assert signatures.name_matches("Ana María. Okafor", Member())
    assert not signatures.name_matches("Ana Okafor", Member())
    assert not signatures.name_matches("a", Member())


def test_a_change_after_signing_asks_for_a_new_signature(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.guardian)
    client.post(sign_url(plan), {"typed_name": full_name(world.guardian), "version": plan.version})
    goal = first_goal(plan)
    actions.set_goal_status(goal, expected_version=goal.version, status="met")
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "The plan has changed since then" in body
    assert f"signed version {plan.version}" in body
    assert f"Sign version {plan.version + 1}" in body
    tab = client.get(reverse("plans:index", args=[world.child.id])).content.decode()
    assert "Review and sign" in tab


def test_signing_a_version_that_changed_meanwhile_is_a_conflict(world, client_as):
    plan = make_plan(world.child, world.therapist)
    read_version = plan.version
    actions.update_plan(plan, expected_version=plan.version, summary="Changed while reading")
    response = client_as(world.guardian).post(
        sign_url(plan), {"typed_name": full_name(world.guardian), "version": read_version}
    )
    assert response.status_code == 409
    assert "The plan changed while you were reading it" in response.content.decode()
    assert not PlanSignature.objects.exists()


def test_guardian_without_legal_authority_gets_403(world, client_as):
    plan = make_plan(world.child, world.therapist)
    link = GuardianLink.objects.get(child=world.child, guardian=world.guardian)
    link.has_legal_authority = False
    link.save()
    response = client_as(world.guardian).post(
        sign_url(plan), {"typed_name": full_name(world.guardian), "version": plan.version}
    )
    assert response.status_code == 403
    assert not PlanSignature.objects.exists()


def test_staff_cannot_sign(world, client_as):
    plan = make_plan(world.child, world.therapist)
    for member in (world.therapist, world.consulting_therapist, world.assistant):
        response = client_as(member).post(
            sign_url(plan), {"typed_name": full_name(member), "version": plan.version}
        )
        assert response.status_code == 403
    response = client_as(world.admin).post(
        sign_url(plan),
        {"typed_name": full_name(world.admin), "version": plan.version},
        follow=True,
    )
    assert (
        "Only a parent or guardian with legal authority signs the plan."
        in response.content.decode()
    )
    assert not PlanSignature.objects.exists()


def test_outsiders_get_404(world, client_as):
    plan = make_plan(world.child, world.therapist)
    for member in (world.other_guardian, world.foreign_guardian):
        response = client_as(member).post(
            sign_url(plan), {"typed_name": full_name(member), "version": plan.version}
        )
        assert response.status_code == 404
    assert not PlanSignature.objects.exists()


def test_a_draft_cannot_be_signed(world, client_as):
    plan = make_plan(world.child, world.therapist, status="draft")
    response = client_as(world.guardian).post(
        sign_url(plan), {"typed_name": full_name(world.guardian), "version": plan.version}
    )
    assert response.status_code == 404
    assert not PlanSignature.objects.exists()


def test_signing_twice_keeps_one_signature(world, client_as):
    plan = make_plan(world.child, world.therapist)
    client = client_as(world.guardian)
    for _ in range(2):
        client.post(
            sign_url(plan), {"typed_name": full_name(world.guardian), "version": plan.version}
        )
    assert PlanSignature.objects.count() == 1
