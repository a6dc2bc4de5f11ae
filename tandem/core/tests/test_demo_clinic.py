"""``manage.py demo_clinic`` builds a believable clinic, once; ``demo_totp`` signs staff in."""

import time
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tandem.accounts.models import Licence, Membership, Organization, Role, User
from tandem.children.access import children_visible_to
from tandem.children.models import CareTeamMember, Child, GuardianLink, TeamRole
from tandem.core.management.commands._demo_data import PASSWORD

pytestmark = pytest.mark.django_db

RIVERSIDE = "Riverside Pediatric Therapy"
LAKESIDE = "Lakeside Kids Therapy"


def build() -> str:
    out = StringIO()
    call_command("demo_clinic", stdout=out)
    return out.getvalue()


def member(email: str) -> Membership:
    return Membership.objects.select_related("organization").get(user__email=email)


def test_it_builds_both_clinics_and_prints_the_logins():
    output = build()

    assert set(Organization.objects.values_list("name", "timezone")) == {
        (RIVERSIDE, "America/Chicago"),
        (LAKESIDE, "America/Chicago"),
    }
    assert PASSWORD in output
    assert "admin@riverside.example" in output
    assert "admin@lakeside.example" in output


def test_riverside_has_an_admin_therapists_of_each_discipline_and_a_supervised_assistant():
    build()
    staff = Membership.objects.filter(organization__name=RIVERSIDE)

    assert staff.filter(role=Role.ADMIN).count() == 1
    licensed = staff.filter(role=Role.THERAPIST, licence=Licence.LICENSED)
    assert set(licensed.values_list("discipline", flat=True)) >= {"ot", "pt", "slp", "behavioral"}
    assistant = staff.get(licence=Licence.ASSISTANT)
    assert assistant.discipline == "ot"
    assert assistant.supervisor is not None
    assert assistant.supervisor.discipline == "ot"
    assert assistant.supervisor.licence == Licence.LICENSED


def test_children_are_between_eighteen_months_and_twelve_years_with_coded_diagnoses():
    build()
    children = Child.objects.filter(organization__name=RIVERSIDE).prefetch_related("diagnoses")
    today = timezone.localdate()

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


def test_care_teams_use_every_team_role():
    build()

    roles = CareTeamMember.objects.filter(organization__name=RIVERSIDE).values_list(
        "role", flat=True
    )
    assert set(roles) == {TeamRole.LEAD, TeamRole.TREATING, TeamRole.CONSULTING}


def test_one_family_has_two_children():
    build()

    anjali = member("anjali.patel@mail.example")
    children = children_visible_to(anjali)
    assert sorted(child.first_name for child in children) == ["Anaya", "Dev"]


def test_one_child_lives_in_two_households():
    build()

    links = GuardianLink.objects.filter(child__first_name="Ava", child__last_name="Thompson")
    households = {link.household for link in links}
    assert len(links) == 2
    assert len(households) == 2
    assert "" not in households


def test_some_families_use_tandem_in_spanish():
    build()

    assert member("maria.hernandez@mail.example").user.language == "es"
    spanish = Membership.objects.filter(role=Role.GUARDIAN, user__language="es")
    assert spanish.count() >= 3


def test_the_teacher_collaborator_sees_no_child_yet():
    build()

    teacher = Membership.objects.get(organization__name=RIVERSIDE, role=Role.COLLABORATOR)
    assert "teacher" in teacher.title.lower()
    assert not children_visible_to(teacher).exists()


def test_the_two_clinics_share_nothing():
    build()
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


def test_every_account_signs_in_with_the_demo_password_and_staff_have_an_authenticator():
    build()

    for membership in Membership.objects.select_related("user"):
        assert membership.user.check_password(PASSWORD), membership
        has_totp = Authenticator.objects.filter(
            user=membership.user, type=Authenticator.Type.TOTP
        ).exists()
        assert has_totp == membership.is_staff_member, membership


def test_running_it_twice_changes_nothing():
    build()
    counts = (User.objects.count(), Child.objects.count(), GuardianLink.objects.count())

    output = build()

    assert "already exist" in output
    assert (User.objects.count(), Child.objects.count(), GuardianLink.objects.count()) == counts


def test_reset_rebuilds_the_demo_and_leaves_other_clinics_alone():
    other = Organization.objects.create(name="Another clinic")
    build()
    before = Organization.objects.get(name=RIVERSIDE).pk
    counts = (User.objects.count(), Child.objects.count(), CareTeamMember.objects.count())

    call_command("demo_clinic", "--reset", stdout=StringIO())

    assert Organization.objects.get(name=RIVERSIDE).pk != before
    assert Organization.objects.filter(pk=other.pk).exists()
    assert (User.objects.count(), Child.objects.count(), CareTeamMember.objects.count()) == counts


@override_settings(DEBUG=False, TESTING=False)
def test_it_refuses_to_run_in_production():
    with pytest.raises(CommandError, match="DEBUG=1"):
        build()
    assert not Organization.objects.exists()


def test_demo_totp_prints_a_code_that_allauth_accepts():
    build()
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


def test_demo_totp_tells_when_a_user_has_no_authenticator():
    build()

    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_totp", "maria.hernandez@mail.example", stdout=StringIO())
