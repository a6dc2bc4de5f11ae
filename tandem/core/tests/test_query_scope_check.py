"""The organization-filter check on queries catches what it should."""

from collections.abc import Callable

import pytest

from tandem.accounts.access import own_memberships
from tandem.accounts.models import Membership
from tandem.children.models import CareTeamMember
from tandem.conftest import World
from tandem.core.testing.scoping import QueryScopeChecker, organization_models, unscoped_tables


def test_a_scoped_select_passes() -> None:
    sql = (
        'SELECT "children_child"."id" FROM "children_child" '
        'WHERE "children_child"."organization_id" = %s'
    )
    assert unscoped_tables(sql) == []


def test_an_unscoped_select_is_caught() -> None:
    sql = 'SELECT "children_child"."id" FROM "children_child" WHERE "children_child"."id" = %s'
    assert unscoped_tables(sql) == ["children_child"]


def test_listing_the_organization_column_is_no_filter() -> None:
    sql = (
        'SELECT "children_child"."id", "children_child"."organization_id" '
        'FROM "children_child" WHERE "children_child"."id" = %s'
    )
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


def test_the_row_a_scoped_row_points_at_is_scoped() -> None:
    sql = (
        'SELECT "children_careteammember"."id", "accounts_membership"."id" '
        'FROM "children_careteammember" INNER JOIN "accounts_membership" '
        'ON ("children_careteammember"."therapist_id" = "accounts_membership"."id") '
        'WHERE "children_careteammember"."organization_id" = %s'
    )
    assert unscoped_tables(sql) == []
    aliased = sql.replace('JOIN "accounts_membership" ON', 'JOIN "accounts_membership" T3 ON')
    assert unscoped_tables(aliased.replace('= "accounts_membership"."id"', '= T3."id"')) == []
    unscoped = sql.replace('"children_careteammember"."organization_id"', "1")
    assert unscoped_tables(unscoped) == ["children_careteammember", "accounts_membership"]


def test_rows_pointing_at_a_scoped_row_are_not() -> None:
    sql = (
        'SELECT "children_child"."id" FROM "children_child" '
        'INNER JOIN "children_careteammember" '
        'ON ("children_child"."id" = "children_careteammember"."child_id") '
        'WHERE "children_child"."organization_id" = %s'
    )
    assert unscoped_tables(sql) == ["children_careteammember"]


def test_writes_are_not_checked() -> None:
    assert (
        unscoped_tables(
            'UPDATE "children_child" SET "school" = %s WHERE "children_child"."id" = %s'
        )
        == []
    )


def test_every_table_with_an_organization_is_checked() -> None:
    tables = {model._meta.db_table for model in organization_models()}
    assert {
        "children_child",
        "children_diagnosis",
        "children_historicalguardianlink",
        "audit_accesslog",
        "accounts_membership",
        "accounts_invitation",
        "plans_goalbankentry",
        "resources_workshop",
        "notifications_preference",
    } <= tables
    assert not {"accounts_user", "accounts_organization", "django_session"} & tables


def test_joining_the_clinic_row_chooses_no_clinic() -> None:
    sql = (
        'SELECT "accounts_membership"."id" FROM "accounts_membership" '
        'INNER JOIN "accounts_organization" '
        'ON ("accounts_membership"."organization_id" = "accounts_organization"."id") '
        'WHERE "accounts_membership"."user_id" = %s'
    )
    assert unscoped_tables(sql) == ["accounts_membership"]


def test_a_subquery_of_the_same_clinic_as_a_filtered_row_is_filtered() -> None:
    sql = (
        'SELECT "children_child"."id" FROM "children_child" '
        'WHERE ("children_child"."organization_id" = %s '
        'AND EXISTS(SELECT 1 AS "a" FROM "children_careteammember" U0 '
        'WHERE (U0."organization_id" = ("children_child"."organization_id") '
        'AND U0."child_id" = ("children_child"."id"))))'
    )
    assert unscoped_tables(sql) == []
    unscoped = sql.replace('"children_child"."organization_id" = %s AND ', "")
    assert unscoped_tables(unscoped) == ["children_child", "children_careteammember"]


def watched(read: Callable[[], object]) -> list[str]:
    """The unfiltered queries of ``read``, run as inside a request."""
    checker = QueryScopeChecker()
    with checker.watching():
        checker.request_started()
        read()
    return checker.violations


@pytest.mark.django_db
def test_a_member_read_by_id_alone_is_caught(world: World) -> None:
    found = watched(lambda: Membership.objects.get(pk=world.therapist.pk))
    assert [violation.split(":")[0] for violation in found] == ["accounts_membership"]


@pytest.mark.django_db
def test_the_therapist_a_filtered_team_row_points_at_is_not(world: World) -> None:
    org = world.therapist.organization_id
    team = CareTeamMember.objects.filter(organization_id=org).first()
    assert team is not None
    assert watched(lambda: team.therapist) == []


@pytest.mark.django_db
def test_the_sign_in_lookups_are_no_clinics_reads(world: World) -> None:
    assert watched(lambda: own_memberships(world.guardian.user)) == []


@pytest.mark.django_db
def test_outside_requests_nothing_is_watched(world: World) -> None:
    checker = QueryScopeChecker()
    with checker.watching():
        Membership.objects.get(pk=world.therapist.pk)
    assert checker.violations == []
