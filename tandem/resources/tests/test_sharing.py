"""Sharing a resource with a family, optionally for a home activity: editors only."""

import pytest
from django.urls import reverse

from tandem.children.models import Child
from tandem.resources.models import ResourceAssignment

from .helpers import make_resource

homeprogram = pytest.importorskip("tandem.homeprogram.tests.helpers")


def share_url(child: Child) -> str:
    return reverse("resources:share", args=[child.id])


def test_therapist_shares_a_resource_for_a_home_activity(world, client_as):
    resource = make_resource(world.therapist)
    activity = homeprogram.make_activity(world.child, world.therapist)
    client = client_as(world.therapist)
    response = client.post(
        share_url(world.child),
        {"resource": str(resource.id), "home_activity": str(activity.id), "note": "For pegs"},
    )
    assert response["Location"] == reverse("resources:child", args=[world.child.id])
    share = ResourceAssignment.objects.get()
    assert (share.child, share.resource, share.home_activity, share.note) == (
        world.child,
        resource,
        activity,
        "For pegs",
    )
    assert share.assigned_by == world.therapist
    family = client_as(world.guardian).get(reverse("resources:index")).content.decode()
    assert "For the home activity “Pinch the pegs”." in family


def test_sharing_again_updates_the_one_share(world, client_as):
    resource = make_resource(world.therapist)
    client = client_as(world.therapist)
    client.post(share_url(world.child), {"resource": str(resource.id), "note": "First"})
    client.post(share_url(world.child), {"resource": str(resource.id), "note": "Second"})
    assert list(ResourceAssignment.objects.values_list("note", flat=True)) == ["Second"]


def test_only_the_childs_editors_share(world, client_as):
    resource = make_resource(world.therapist)
    data = {"resource": str(resource.id)}
    for member, status in (
        (world.consulting_therapist, 403),
        (world.guardian, 403),
        (world.unassigned_therapist, 404),
        (world.foreign_admin, 404),
    ):
        assert client_as(member).post(share_url(world.child), data).status_code == status
    assert not ResourceAssignment.objects.exists()


def test_other_clinics_resources_and_other_childrens_activities_are_refused(world, client_as):
    foreign = make_resource(world.foreign_therapist)
    mine = make_resource(world.therapist)
    sibling_activity = homeprogram.make_activity(world.sibling, world.therapist)
    client = client_as(world.therapist)
    assert client.post(share_url(world.child), {"resource": str(foreign.id)}).status_code == 302
    response = client.post(
        share_url(world.child),
        {"resource": str(mine.id), "home_activity": str(sibling_activity.id)},
    )
    assert response.status_code == 302  # not among the choices: sent back, nothing shared
    assert not ResourceAssignment.objects.exists()


def test_stop_sharing(world, client_as):
    resource = make_resource(world.therapist)
    client = client_as(world.therapist)
    client.post(share_url(world.child), {"resource": str(resource.id)})
    share = ResourceAssignment.objects.get()
    url = reverse("resources:unshare", args=[world.child.id])
    assert client_as(world.guardian).post(url, {"share": str(share.id)}).status_code == 403
    elsewhere = reverse("resources:unshare", args=[world.sibling.id])
    assert client.post(elsewhere, {"share": str(share.id)}).status_code == 404
    assert client.post(url, {"share": str(share.id)}).status_code == 302
    assert not ResourceAssignment.objects.exists()
