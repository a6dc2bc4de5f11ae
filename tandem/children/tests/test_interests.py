"""The child's interests and strengths as tags, beside the free text: who changes them,
how bad input is refused, and where they are used (ideas for home, suggested resources)."""

from django.urls import reverse

from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.types import ClientAs
from tandem.resources.tests.helpers import make_resource


def url(child: Child) -> str:
    return reverse("children:interests", args=[child.id])


def form(child: Child, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": child.version,
        "interest_tags": ["dinosaurs", "water_play"],
        "strength_tags": ["visual_learner"],
        "interests": "Loves her T. rex",
        "strengths": "Watches first, then tries",
    }
    data.update(changes)
    return data


def test_a_guardian_chooses_tags_and_keeps_their_words(world: World, client_as: ClientAs) -> None:
    client = client_as(world.guardian)
    versions = world.child.history.count()
    response = client.post(url(world.child), form(world.child))
    assert response.status_code == 302
    child = Child.objects.get(pk=world.child.pk)
    assert child.interest_tags == ["dinosaurs", "water_play"]
    assert child.strength_tags == ["visual_learner"]
    assert child.interests == "Loves her T. rex" and child.version == world.child.version + 1
    assert child.history.count() == versions + 1
    body = client.get(url(world.child)).content.decode()
    assert "Dinosaurs" in body and "Learns by seeing" in body and "Loves her T. rex" in body
    assert "Hide dinosaurs in a tub of rice" in body  # an idea for home, from the tag


def test_an_unknown_tag_is_refused_with_a_clear_message(world: World, client_as: ClientAs) -> None:
    response = client_as(world.therapist).post(
        url(world.child), form(world.child, interest_tags=["dinosaurs", "zebras"])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "“zebras” is not one of the listed interests" in body
    assert Child.objects.get(pk=world.child.pk).interest_tags == []


def test_a_stale_page_is_refused(world: World, client_as: ClientAs) -> None:
    client = client_as(world.therapist)
    stale = form(world.child)
    assert client.post(url(world.child), form(world.child)).status_code == 302
    response = client.post(url(world.child), stale | {"interest_tags": ["music"]})
    assert response.status_code == 409
    assert Child.objects.get(pk=world.child.pk).interest_tags == ["dinosaurs", "water_play"]


def test_a_consulting_therapist_reads_but_may_not_change(world: World, client_as: ClientAs) -> None:
    client = client_as(world.consulting_therapist)
    assert client.get(url(world.child)).status_code == 200
    assert client.post(url(world.child), form(world.child)).status_code == 403


def test_another_family_finds_nothing(world: World, client_as: ClientAs) -> None:
    assert client_as(world.other_guardian).get(url(world.child)).status_code == 404


def test_resources_page_suggests_for_the_childs_interests(
    world: World, client_as: ClientAs
) -> None:
    make_resource(world.therapist, title="Dinosaur dig for little hands", domains=["fine_motor"])
    make_resource(world.therapist, title="Button practice at breakfast")
    client_as(world.guardian).post(url(world.child), form(world.child))
    body = (
        client_as(world.therapist)
        .get(reverse("resources:child", args=[world.child.id]))
        .content.decode()
    )
    section = body.split("interests-title", 1)[1].split("</section>", 1)[0]
    assert "Suggested for Maya" in body
    assert "Dinosaur dig for little hands" in section
    assert "Button practice at breakfast" not in section
