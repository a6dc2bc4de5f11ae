"""Versioned clinical records refuse bulk writes, which would skip their history."""

import pytest

from tandem.audit.versions import VersionedModel, versioned_models
from tandem.children.models import Child
from tandem.conftest import World

VERSIONED_MODELS = versioned_models()


@pytest.mark.parametrize("model", VERSIONED_MODELS, ids=lambda m: m.__name__)
def test_queryset_update_is_forbidden(world: World, model: VersionedModel) -> None:
    with pytest.raises(TypeError, match="versioned"):
        model.objects.all().update(created_at=None)


@pytest.mark.parametrize("model", VERSIONED_MODELS, ids=lambda m: m.__name__)
def test_bulk_update_is_forbidden(world: World, model: VersionedModel) -> None:
    objs = list(model.objects.all()[:1])
    with pytest.raises(TypeError, match="versioned"):
        model.objects.bulk_update(objs, ["created_at"])


def test_every_clinical_record_is_versioned() -> None:
    names = {m._meta.object_name for m in VERSIONED_MODELS}
    assert names >= {
        "Child",
        "Diagnosis",
        "GuardianLink",
        "CareTeamMember",
        "Evaluation",
        "StandardizedScore",
        "GrowthMeasurement",
        "Plan",
        "Goal",
        "SessionNote",
        "GoalData",
    }
    for model in VERSIONED_MODELS:
        fields = {f.name for f in model._meta.concrete_fields}
        assert "organization" in fields, model
        shared = getattr(model, "history_children", None)  # a session: through its children
        assert model is Child or "child" in fields or shared, model


def test_single_saves_keep_a_version(world: World) -> None:
    world.child.school = "Oak Primary"
    world.child.save()
    assert Child.history.filter(id=world.child.id).count() == 2
