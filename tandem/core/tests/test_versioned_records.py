"""Versioned clinical records refuse bulk writes, which would skip their history."""

import pytest

from tandem.audit.versions import VERSIONED_MODELS
from tandem.children.models import Child


@pytest.mark.parametrize("model", VERSIONED_MODELS, ids=lambda m: m.__name__)
def test_queryset_update_is_forbidden(world, model):
    with pytest.raises(TypeError, match="versioned"):
        model.objects.all().update(created_at=None)


@pytest.mark.parametrize("model", VERSIONED_MODELS, ids=lambda m: m.__name__)
def test_bulk_update_is_forbidden(world, model):
    objs = list(model.objects.all()[:1])
    with pytest.raises(TypeError, match="versioned"):
        model.objects.bulk_update(objs, ["created_at"])


def test_every_model_with_history_is_listed_as_versioned():
    from django.apps import apps

    with_history = {
        m
        for m in apps.get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical")
    }
    assert with_history == set(VERSIONED_MODELS)


def test_single_saves_keep_a_version(world):
    world.child.school = "Oak Primary"
    world.child.save()
    assert Child.history.filter(id=world.child.id).count() == 2
