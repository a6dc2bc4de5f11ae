"""A clinic's copy of the shipped goal bank gets its mastery values when it migrates."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tandem.plans import goal_bank

BEFORE = [("plans", "0001_initial")]
AFTER = [("plans", "0002_goal_bank_mastery")]


@pytest.mark.django_db(transaction=True)
def test_copies_of_shipped_goals_get_their_mastery_values():
    shipped = next(g for g in goal_bank.shipped_goal_bank() if g["measurement_type"] == "duration")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    org = old.get_model("accounts", "Organization").objects.create(name="Old clinic")
    Entry = old.get_model("plans", "GoalBankEntry")
    levels = {"-2": "a", "-1": "b", "0": "c", "1": "d", "2": "e"}
    common = {"organization": org, "mastery_criterion": "x", "gas_levels": levels}
    copied = Entry.objects.create(
        discipline=shipped["discipline"],
        domain=shipped["domain"],
        statement=shipped["statement"],
        measurement_type=shipped["measurement_type"],
        **common,
    )
    own = Entry.objects.create(
        discipline="ot",
        domain="play",
        statement="{child} invents a game of their own.",
        measurement_type="frequency",
        **common,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("plans", "GoalBankEntry")
    entry = new.objects.get(pk=copied.pk)
    assert (entry.mastery_value, entry.mastery_sessions, entry.lower_is_better) == (
        shipped["mastery_value"],
        shipped["mastery_sessions"],
        shipped["lower_is_better"],
    )
    assert new.objects.get(pk=own.pk).mastery_value is None  # the clinic's own: theirs to set
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
