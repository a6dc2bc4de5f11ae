"""Group: the caseloads and therapeutic groups Bulk Data exports by, read and searched —
who names which, the children each names, paging, bad input and the query budget."""

from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import Membership
from tandem.bulkdata.tests.helpers import export, files, kick_off, status_path, token_client
from tandem.conftest import World, sign_in
from tandem.core import clock
from tandem.core.testing import factories as f
from tandem.groups.tests.helpers import group_with

from .helpers import every_page, get, ids, ok, outcome, validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(world: World) -> dict[str, Any]:
    """Maya and Noah in this clinic's "Friends club"; a closed sensory group; Zara in the
    other clinic's group."""
    now = clock.now()
    friends = group_with(world.therapist, [now], [world.child, world.other_child])
    sensory = group_with(world.therapist, [now], [world.sibling], name="Sensory explorers")
    sensory.kind = "sensory"
    sensory.closed_at = now
    sensory.save()
    foreign = group_with(world.foreign_therapist, [now], [world.foreign_child], name="Movers")
    return {"friends": friends, "sensory": sensory, "foreign": foreign}


def _therapists(world: World) -> list[Membership]:
    return list(Membership.objects.filter(organization=world.org, role="therapist"))


def _members(group: dict[str, Any]) -> set[str]:
    return {m["entity"]["reference"].removeprefix("Patient/") for m in group.get("member", [])}


def test_an_admin_finds_every_caseload_and_group_of_the_clinic(world: World, groups: Any) -> None:
    client = sign_in(Client(), world.admin)
    entries = every_page(client, "Group", {"_count": 2})
    found = {e["resource"]["id"]: e["resource"] for e in entries}
    caseloads = {f"caseload-{t.pk}" for t in _therapists(world)}
    assert set(found) == caseloads | {str(groups["friends"].pk), str(groups["sensory"].pk)}
    assert [e["resource"]["id"] for e in entries][: len(caseloads)] == sorted(
        caseloads, key=lambda i: found[i]["name"].casefold()
    )  # caseloads first, by name, then the groups
    mine = found[f"caseload-{world.therapist.pk}"]
    assert mine["type"] == "person" and mine["actual"] is True
    assert mine["name"] == f"Caseload of {world.therapist.display_name}"
    assert _members(mine) == {str(world.child.pk), str(world.sibling.pk)}
    assert mine["quantity"] == 2
    assert mine["managingEntity"]["reference"] == f"Practitioner/{world.therapist.pk}"
    assert "versionId" not in mine["meta"]
    friends = found[str(groups["friends"].pk)]
    assert friends["name"] == "Friends club" and friends["active"] is True
    assert _members(friends) == {str(world.child.pk), str(world.other_child.pk)}
    assert friends["characteristic"][0]["valueCodeableConcept"]["coding"][0]["code"] == (
        "social_skills"
    )
    assert friends["meta"]["versionId"] == str(groups["friends"].version)
    assert found[str(groups["sensory"].pk)]["active"] is False  # closed
    for group_id, resource in found.items():
        response = get(client, f"Group/{group_id}")
        assert ok(client, f"Group/{group_id}") == resource
        version = resource["meta"].get("versionId")
        assert response.get("ETag") == (f'W/"{version}"' if version else None)


def test_search_by_id_and_name(world: World, groups: Any) -> None:
    client = sign_in(Client(), world.admin)
    caseload = f"caseload-{world.therapist.pk}"
    friends = str(groups["friends"].pk)
    assert ids(ok(client, "Group", {"_id": caseload})) == [caseload]
    assert ids(ok(client, "Group", {"_id": friends})) == [friends]
    assert sorted(ids(ok(client, "Group", {"_id": f"{caseload},{friends}"}))) == sorted(
        [caseload, friends]
    )
    assert ok(client, "Group", {"_id": "nothing"})["total"] == 0
    assert ids(ok(client, "Group", {"name": "friends"})) == [friends]
    assert ids(ok(client, "Group", {"name": "Friends,Sensory"})) == [
        friends,
        str(groups["sensory"].pk),
    ]
    named = ok(client, "Group", {"name": "caseload of"})
    assert named["total"] == len(_therapists(world))
    assert ok(client, "Group", {"name": "Movers"})["total"] == 0  # the other clinic's
    assert ok(client, "Group", {"name": "club", "_id": caseload})["total"] == 0


def test_paging_follows_next_links_from_caseloads_into_groups(world: World, groups: Any) -> None:
    client = sign_in(Client(), world.front_desk)
    first = ok(client, "Group", {"_count": 3})
    total = first["total"]
    assert total == len(_therapists(world)) + 2
    entries = every_page(client, "Group", {"_count": 3})
    assert len({e["resource"]["id"] for e in entries}) == total
    assert {link["relation"] for link in first["link"]} == {"self", "next"}


def test_a_therapist_names_their_own_caseload_and_the_clinics_groups(
    world: World, groups: Any
) -> None:
    client = sign_in(Client(), world.therapist)
    found = {r["resource"]["id"]: r["resource"] for r in every_page(client, "Group")}
    friends = str(groups["friends"].pk)
    assert set(found) == {f"caseload-{world.therapist.pk}", friends, str(groups["sensory"].pk)}
    # The group's page names only the children the therapist sees: Maya, not Noah.
    assert _members(found[friends]) == {str(world.child.pk)}
    assert found[friends]["quantity"] == 1
    outcome(get(client, f"Group/caseload-{world.unassigned_therapist.pk}"), 404)
    unassigned = sign_in(Client(), world.unassigned_therapist)
    assert _members(ok(unassigned, f"Group/{friends}")) == {str(world.other_child.pk)}


def test_billing_names_no_group_and_no_caseload(world: World, groups: Any) -> None:
    """Billing lists no staff (Practitioner finds none), so no therapist's caseload."""
    client = sign_in(Client(), world.billing)
    assert ids(every_page(client, "Group")) == []
    outcome(get(client, f"Group/{groups['friends'].pk}"), 404)
    outcome(get(client, f"Group/caseload-{world.therapist.pk}"), 404)
    assert ok(client, "Practitioner")["total"] == 0


def test_families_find_no_group_and_collaborators_none_at_all(world: World, groups: Any) -> None:
    friends = f"Group/{groups['friends'].pk}"
    caseload = f"Group/caseload-{world.therapist.pk}"
    family = sign_in(Client(), world.guardian)
    assert ok(family, "Group")["total"] == 0
    outcome(get(family, friends), 404)
    outcome(get(family, caseload), 404)
    teacher = sign_in(Client(), world.consented_collaborator)
    assert "scopes" in outcome(get(teacher, "Group"), 404)
    outcome(get(teacher, friends), 404)
    outcome(get(teacher, caseload), 404)


def test_another_clinics_groups_are_not_there(world: World, groups: Any) -> None:
    client = sign_in(Client(), world.admin)
    outcome(get(client, f"Group/{groups['foreign'].pk}"), 404)
    outcome(get(client, f"Group/caseload-{world.foreign_therapist.pk}"), 404)
    foreign = sign_in(Client(), world.foreign_admin)
    assert _members(ok(foreign, f"Group/{groups['foreign'].pk}")) == {str(world.foreign_child.pk)}
    outcome(get(foreign, f"Group/{groups['friends'].pk}"), 404)


@pytest.mark.parametrize(
    "path", ["Group/caseload-nothing", "Group/nothing", "Group/caseload-", "Group/caseload"]
)
def test_ids_that_are_no_group_are_404(world: World, path: str) -> None:
    outcome(get(sign_in(Client(), world.admin), path), 404)


@pytest.mark.parametrize("params", [{"name": ""}, {"member": "Patient/x"}, {"_count": "0"}])
def test_bad_parameters_are_400(world: World, params: dict[str, str]) -> None:
    outcome(get(sign_in(Client(), world.admin), "Group", params), 400)


def test_a_group_reads_where_its_export_kicks_off(world: World, groups: Any) -> None:
    """The Group's readers are the bulk export's: every group one reads, one exports;
    one reads no group one may not export."""
    candidates = [
        f"caseload-{t.pk}" for t in [*_therapists(world), world.foreign_therapist, world.admin]
    ] + [str(g.pk) for g in groups.values()]
    for member in (world.admin, world.therapist, world.front_desk, world.billing, world.guardian):
        client = token_client(member)
        for group_id in candidates:
            read = get(client, f"Group/{group_id}").status_code
            kicked = kick_off(client, f"Group/{group_id}/$export")
            assert (read == 200) == (kicked.status_code == 202), (member, group_id, read)
            if kicked.status_code == 202:  # not left waiting: a member has two at most
                assert client.delete(status_path(kicked)).status_code == 202


def test_the_clinics_bulk_export_holds_the_groups_its_admin_names(
    world: World, groups: Any
) -> None:
    client = token_client(world.admin)
    written = files(client, export(client, params={"_type": "Group"}))["Group"]
    for resource in written:
        validate(resource)
    searched = every_page(sign_in(Client(), world.admin), "Group")
    assert sorted(r["id"] for r in written) == sorted(ids(searched))
    # A group's own export holds the children's records, not groups (400).
    path = f"Group/{groups['friends'].pk}/$export"
    outcome(kick_off(client, path, {"_type": "Group"}), 400)


def test_a_page_costs_the_same_queries_with_more_groups(
    world: World, groups: Any, django_assert_max_num_queries: Any
) -> None:
    client = sign_in(Client(), world.admin)
    ok(client, "Group", {"_count": 5})  # warms the process's caches
    with django_assert_max_num_queries(10) as small:
        ok(client, "Group", {"_count": 5})
    for n in range(4):
        kid = f.ChildFactory(organization=world.org, first_name=f"Kid{n}", last_name="Load")
        f.CareTeamMemberFactory(child=kid, therapist=world.therapist, role="lead")
        group_with(world.unassigned_therapist, [clock.now()], [kid], name=f"Group {n}")
    with django_assert_max_num_queries(10) as large:
        ok(client, "Group", {"_count": 5})
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(10):
        ok(client, f"Group/{groups['friends'].pk}")
