"""factory_boy factories for the people and records every test talks about."""

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.db import models

from tandem.accounts.models import Licence, Membership, Organization, Role, User
from tandem.children.models import CareTeamMember, Child, GuardianLink, Relationship, TeamRole
from tandem.core import clock

PASSWORD = "correct-horse-battery-9"
# Every test clinic is in Chicago unless a test says otherwise.
CLINIC_TIMEZONE = "America/Chicago"


def clinic_today() -> datetime.date:
    """Today for the test clinics (their local date, not UTC's or the machine's)."""
    return clock.today_for(CLINIC_TIMEZONE)


M = TypeVar("M", bound=models.Model)


class ModelFactory(factory.django.DjangoModelFactory[M]):
    """A factory whose call, ``XFactory(...)``, is typed as the model it makes."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass makes the call return a model instance; mypy reads __new__.
        def __new__(cls, *args: Any, **kwargs: Any) -> M: ...  # type: ignore[misc]


class OrganizationFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Clinic {n}")
    timezone = CLINIC_TIMEZONE


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class MembershipFactory(ModelFactory[Membership]):
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


class ChildFactory(ModelFactory[Child]):
    class Meta:
        model = Child

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: clinic_today() - datetime.timedelta(days=5 * 365))
    sex = "F"
    interests = "Trains, water play"


class GuardianLinkFactory(ModelFactory[GuardianLink]):
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


class CareTeamMemberFactory(ModelFactory[CareTeamMember]):
    class Meta:
        model = CareTeamMember

    child = factory.SubFactory(ChildFactory)
    organization = factory.SelfAttribute("child.organization")
    therapist = factory.SubFactory(
        TherapistFactory, organization=factory.SelfAttribute("..organization")
    )
    role = TeamRole.LEAD
