"""Who has seen this record: the clinic's admin on the child's trail, and the child's
legal guardian on their own page (linked from the Sharing page)."""

from django.urls import reverse

from tandem.conftest import World
from tandem.core.testing import factories as f
from tandem.core.testing.types import ClientAs


def test_a_legal_guardian_sees_who_opened_the_record(world: World, client_as: ClientAs) -> None:
    for _ in range(3):
        client_as(world.therapist).get(reverse("children:detail", args=[world.child.id]))
    client_as(world.unassigned_therapist).get(reverse("children:detail", args=[world.child.id]))
    client = client_as(world.guardian)
    sharing = client.get(reverse("consent:index", args=[world.child.id])).content.decode()
    assert reverse("audit:seen", args=[world.child.id]) in sharing
    body = client.get(reverse("audit:seen", args=[world.child.id])).content.decode()
    assert world.therapist.display_name in body and "Therapist" in body
    assert '<td data-label="Times">3</td>' in body
    assert world.unassigned_therapist.display_name not in body  # refused: not a view
    table = body.split("<table")[1].split("</table>")[0]
    assert "Refused" not in table and "/children/" not in table


def test_the_admin_sees_it_on_the_childs_trail(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
    body = (
        client_as(world.admin).get(reverse("audit:child", args=[world.child.id])).content.decode()
    )
    assert "Who has seen this record" in body and world.guardian.display_name in body


def test_only_the_admin_and_legal_guardians_may_ask(world: World, client_as: ClientAs) -> None:
    url = reverse("audit:seen", args=[world.child.id])
    grandparent = f.GuardianLinkFactory(child=world.child, has_legal_authority=False).guardian
    for member in (world.other_guardian, world.therapist, world.front_desk, grandparent):
        assert client_as(member).get(url).status_code == 404
    assert client_as(world.foreign_admin).get(url).status_code == 404
    assert client_as(world.admin).get(url).status_code == 200
    sharing = client_as(grandparent).get(reverse("consent:index", args=[world.child.id]))
    assert url not in sharing.content.decode()
