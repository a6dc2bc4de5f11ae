"""A token's calls each load their membership: the access kernel's built scope is kept
across them (issue 16), while the seats it reads are read on every call."""

import pytest

from tandem.access.tests.test_visible_children_built_once import count_builds
from tandem.accounts.models import Role
from tandem.api.tests.conftest import ApiAs
from tandem.children.models import CareTeamMember
from tandem.conftest import World

pytestmark = pytest.mark.django_db


def test_a_tokens_calls_build_the_scope_once_and_read_the_seats_each_time(
    world: World, api_as: ApiAs, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = count_builds(monkeypatch)
    api = api_as(world.therapist, token=True)  # each call loads its own membership
    assert api.get(f"/children/{world.child.id}").status_code == 200
    assert api.get(f"/children/{world.child.id}").status_code == 200
    CareTeamMember.objects.filter(child=world.child, therapist=world.therapist).delete()
    assert api.get(f"/children/{world.child.id}").status_code == 404  # off the team now
    assert built == [Role.THERAPIST]
