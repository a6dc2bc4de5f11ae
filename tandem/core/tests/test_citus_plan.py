"""The sharding plan stays current (tools/citus.py, docs/scaling.md): every table has a
place, and the plan written in the docs is the one the app registry gives today."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from django.conf import settings

TOOL = Path(settings.BASE_DIR) / "tools" / "citus.py"


def citus() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tandem_tools_citus", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_table_has_a_place_and_the_written_plan_is_current() -> None:
    tool = citus()
    tables = tool.collect()
    assert tool.problems(tables, tool.DOC.read_text()) == []


def test_the_cache_table_the_plan_names_is_the_one_settings_use() -> None:
    assert settings.CACHES["default"]["LOCATION"] in citus().UNMODELLED


def test_a_new_table_without_organization_id_needs_a_place() -> None:
    tool = citus()
    tables = tool.collect()
    stray = tool.Table("reports_snapshot", "reports.Snapshot", has_org=False, place="")
    found = tool.problems([*tables, stray], tool.DOC.read_text())
    assert any(
        p.startswith("reports_snapshot (reports.Snapshot) has no organization_id") for p in found
    )
    assert any("out of date" in p for p in found)


def test_the_plan_lists_what_a_distribution_breaks() -> None:
    by_name = {t.name: t for t in citus().collect()}
    goal = by_name["plans_goal"]
    assert goal.place == "distributed" and "primary key (id)" in goal.keys
    assert "child_id → children_child" in goal.links
    # A unique constraint without the clinic, and a history table's nullable copy of it.
    assert any("one_seat_per_therapist" in key for key in by_name["children_careteammember"].keys)
    assert any("may be NULL" in key for key in by_name["plans_historicalgoal"].keys)
    # Pointing at a reference table breaks nothing.
    assert not any("accounts_organization" in link for link in goal.links)
    assert by_name["accounts_organization"].place == "reference"
