"""The organization-filter check on child-data queries catches what it should."""

from tandem.conftest import unscoped_tables


def test_a_scoped_select_passes() -> None:
    sql = (
        'SELECT "children_child"."id" FROM "children_child" '
        'WHERE "children_child"."organization_id" = %s'
    )
    assert unscoped_tables(sql) == []


def test_an_unscoped_select_is_caught() -> None:
    sql = 'SELECT "children_child"."id" FROM "children_child" WHERE "children_child"."id" = %s'
    assert unscoped_tables(sql) == ["children_child"]


def test_a_subquery_with_an_alias_must_be_scoped_too() -> None:
    sql = (
        'SELECT "children_child"."id" FROM "children_child" '
        'WHERE ("children_child"."organization_id" = %s '
        'AND EXISTS(SELECT 1 AS "a" FROM "children_careteammember" U0 '
        'WHERE U0."child_id" = ("children_child"."id")))'
    )
    assert unscoped_tables(sql) == ["children_careteammember"]
    scoped = sql.replace('U0."child_id"', 'U0."organization_id" = %s AND U0."child_id"')
    assert unscoped_tables(scoped) == []


def test_writes_are_not_checked() -> None:
    assert (
        unscoped_tables(
            'UPDATE "children_child" SET "school" = %s WHERE "children_child"."id" = %s'
        )
        == []
    )


def test_child_data_tables_are_found_from_the_models() -> None:
    from tandem.conftest import child_data_tables

    tables = set(child_data_tables())
    assert {
        "children_child",
        "children_diagnosis",
        "children_historicalguardianlink",
        "audit_accesslog",
    } <= tables
    assert "accounts_membership" not in tables
