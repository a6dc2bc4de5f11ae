"""factory_boy factories for the people and records every test talks about."""

import datetime

import factory

from tandem.accounts.models import Licence, Membership, Organization, Role, User
from tandem.children.models import CareTeamMember, Child, GuardianLink, Relationship, TeamRole
from tandem.core import clock

PASSWORD = "correct-horse-battery-9"
# Every test clinic is in Chicago unless a test says otherwise.
CLINIC_TIMEZONE = "America/Chicago"


def clinic_today() -> datetime.date:
    """Today for the test clinics (their local date, not UTC's or the machine's)."""
    return clock.today_for(CLINIC_TIMEZONE)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Clinic {n}")
    timezone = CLINIC_TIMEZONE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.THERAPIST


class AdminFactory(MembershipFactory):
    role = Role.ADMIN


class TherapistFactory(MembershipFactory):
    role = Role.THERAPIST
    discipline = "ot"
    licence = Licence.LICENSED


class GuardianFactory(MembershipFactory):
    role = Role.GUARDIAN


class CollaboratorFactory(MembershipFactory):
    role = Role.COLLABORATOR
    title = "Teacher"


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: clinic_today() - datetime.timedelta(days=5 * 365))
    sex = "F"
    interests = "Trains, water play"


class GuardianLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianLink

    child = factory.SubFactory(ChildFactory)
    organization = factory.SelfAttribute("child.organization")
    guardian = factory.SubFactory(
        GuardianFactory, organization=factory.SelfAttribute("..organization")
    )
    relationship = Relationship.MOTHER
    has_legal_authority = True
    is_primary_contact = True


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    child = factory.SubFactory(ChildFactory)
    organization = factory.SelfAttribute("child.organization")
    therapist = factory.SubFactory(
        TherapistFactory, organization=factory.SelfAttribute("..organization")
    )
    role = TeamRole.LEAD
