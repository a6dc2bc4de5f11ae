"""PATCH /children/{id}: editors change the record as of a version; everyone else is refused."""

import pytest

from tandem.api.tests.conftest import ApiAs
from tandem.children.models import Child, Diagnosis
from tandem.conftest import World


def url(child: Child) -> str:
    return f"/children/{child.id}"


def reload(child: Child) -> Child:
    return Child.objects.get(pk=child.pk)


@pytest.mark.parametrize("persona", ["admin", "therapist", "assistant"])
def test_editors_change_the_record_and_the_version_goes_up(
    world: World, api_as: ApiAs, persona: str
) -> None:
    member = getattr(world, persona)
    response = api_as(member).patch(url(world.child), {"version": 1, "school": "Oak Primary"})
    assert response.status_code == 200
    assert (response.json()["school"], response.json()["version"]) == ("Oak Primary", 2)
    child = reload(world.child)
    assert (child.school, child.version) == ("Oak Primary", 2)
    latest = child.history.latest("history_date")
    assert (latest.history_user, latest.school) == (member.user, "Oak Primary")


def test_only_the_fields_sent_change(world: World, api_as: ApiAs) -> None:
    api_as(world.therapist).patch(url(world.child), {"version": 1, "preferred_name": "May"})
    child = reload(world.child)
    assert (child.preferred_name, child.first_name, child.interests) == (
        "May",
        "Maya",
        "Trains, water play",
    )


@pytest.mark.parametrize("persona", ["consulting_therapist", "guardian"])
def test_read_only_members_get_403_and_nothing_changes(
    world: World, api_as: ApiAs, persona: str
) -> None:
    response = api_as(getattr(world, persona)).patch(
        url(world.child), {"version": 1, "school": "X"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "You can see this record but not change it."
    assert reload(world.child).school == ""


@pytest.mark.parametrize(
    "persona", ["unassigned_therapist", "other_guardian", "collaborator", "foreign_admin"]
)
def test_outsiders_get_404_and_nothing_changes(world: World, api_as: ApiAs, persona: str) -> None:
    response = api_as(getattr(world, persona)).patch(
        url(world.child), {"version": 1, "school": "X"}
    )
    assert response.status_code == 404
    assert reload(world.child).school == ""


def test_read_only_members_get_403_even_with_bad_input(world: World, api_as: ApiAs) -> None:
    assert api_as(world.consulting_therapist).patch(url(world.child), {}).status_code == 403
    assert api_as(world.other_guardian).patch(url(world.child), {}).status_code == 404


def test_stale_version_is_409_with_the_current_version_and_changes_nothing(
    world: World, api_as: ApiAs
) -> None:
    first, second = api_as(world.therapist), api_as(world.admin)
    assert first.patch(url(world.child), {"version": 1, "school": "Oak"}).status_code == 200
    response = second.patch(url(world.child), {"version": 1, "school": "Elm"})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert "Someone else changed this record" in response.json()["detail"]
    child = reload(world.child)
    assert (child.school, child.version) == ("Oak", 2)
    assert child.history.count() == 2


def test_version_is_required(world: World, api_as: ApiAs) -> None:
    response = api_as(world.therapist).patch(url(world.child), {"school": "Oak"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "version"
    assert reload(world.child).school == ""


@pytest.mark.parametrize(
    "changes",
    [
        {"first_name": None},
        {"first_name": ""},
        {"sex": "unknown"},
        {"gestational_age_weeks": 50},
        {"date_of_birth": "2999-01-01"},
        {"diagnoses": [{"code": "nope"}]},
        {"photo": "x.png"},
        {"archived_at": "2024-01-01T00:00:00Z"},
    ],
)
def test_bad_input_is_422_json_and_changes_nothing(
    world: World, api_as: ApiAs, changes: dict[str, object]
) -> None:
    response = api_as(world.therapist).patch(url(world.child), {"version": 1, **changes})
    assert response.status_code == 422
    assert response.json()["detail"]
    child = reload(world.child)
    assert (child.version, child.first_name, child.archived_at) == (1, "Maya", None)
    assert child.history.count() == 1


def test_diagnoses_sent_replace_the_list(world: World, api_as: ApiAs) -> None:
    child = world.child
    Diagnosis.objects.create(
        organization=child.organization, child=child, code="F82", label="Motor"
    )
    response = api_as(world.therapist).patch(
        url(world.child), {"version": 1, "diagnoses": [{"code": "f84.0", "label": "Autism"}]}
    )
    assert [d["code"] for d in response.json()["diagnoses"]] == ["F84.0"]
    assert list(world.child.diagnoses.values_list("code", flat=True)) == ["F84.0"]


def test_each_change_response_is_logged_as_a_view(world: World, api_as: ApiAs) -> None:
    from tandem.audit.models import AccessLog

    api_as(world.therapist).patch(url(world.child), {"version": 1, "school": "Oak"})
    assert AccessLog.objects.filter(user=world.therapist.user, child=world.child).count() == 1
