"""In a real browser at phone width: a parent shares Maya's goals with her teacher, the
teacher sees only that, and loses it the moment the parent stops sharing."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.browser_tests.accessibility import assert_accessible
from tandem.browser_tests.conftest import PHONE, NewPage, sign_in
from tandem.conftest import World
from tandem.consent.tests.helpers import clinic_today
from tandem.progress.tests.helpers import make_goal, make_plan

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Invitations and notices are sent on commit; run the callbacks at once."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


def test_teacher_sees_the_shared_summary_until_the_parent_stops_sharing(
    new_page: NewPage, world: World
) -> None:
    # The teacher reads the goal in the family's words, never the clinical statement.
    make_goal(
        make_plan(world.child, world.therapist),
        statement="Maya will zip her coat independently in 4 of 5 opportunities.",
        family_wording_en="Zips her coat on her own",
    )
    teacher_email = world.collaborator.user.email

    parent = new_page(PHONE)
    sign_in(parent, world.guardian)
    parent.goto(reverse("consent:index", args=[world.child.id]))
    assert_accessible(parent, name="sharing page")
    parent.get_by_label("Their first name").fill("Ana")
    parent.get_by_label("Their email address").fill(teacher_email)
    parent.get_by_label("Who they are to your child").fill("Class teacher")
    last_day = clinic_today(world.child) + datetime.timedelta(days=60)
    parent.get_by_label("Share until (the last day)").fill(last_day.isoformat())
    parent.get_by_role("button", name="Share", exact=True).click()
    expect(parent.get_by_role("status")).to_contain_text("can now see what you chose")

    teacher = new_page(PHONE)
    sign_in(teacher, world.collaborator)
    teacher.goto("/")
    assert_accessible(teacher, name="collaborator home")
    teacher.get_by_role("link", name="Maya Okafor").click()
    expect(teacher.get_by_role("heading", name="Zips her coat on her own")).to_be_visible()
    expect(teacher.get_by_text("zip her coat independently")).to_have_count(0)
    expect(teacher.get_by_role("link", name="Session notes")).to_have_count(0)
    assert_accessible(teacher, name="shared summary")

    parent.reload()
    parent.get_by_role(
        "button", name=f"Stop sharing with {world.collaborator.display_name}"
    ).click()
    expect(parent.get_by_role("status")).to_contain_text("You stopped sharing")

    teacher.reload()
    expect(teacher.get_by_role("heading", name="Zips her coat on her own")).to_have_count(0)
    teacher.goto("/")
    expect(teacher.get_by_text("No family has shared")).to_be_visible()


def test_every_collaborator_page_passes_axe_at_phone_width(new_page: NewPage, world: World) -> None:
    goal = make_goal(make_plan(world.other_child, world.unassigned_therapist))
    from tandem.progress.tests.helpers import record_sessions

    record_sessions(
        world.unassigned_therapist,
        world.other_child,
        [(datetime.date(2024, 2, 5), {goal: (50.0, 0)})],
    )
    teacher = new_page(PHONE)
    sign_in(teacher, world.consented_collaborator)  # every part of Noah's record
    for name in ("collaborators:child", "collaborators:notes", "collaborators:observe"):
        teacher.goto(reverse(name, args=[world.other_child.id]))
        assert_accessible(teacher, name=name)
    teacher.get_by_label("School or daycare").check()
    teacher.get_by_label("With some help").check()
    teacher.get_by_role("button", name="Send").click()
    expect(teacher.get_by_role("status")).to_contain_text("the team will see what you noticed")
    assert_accessible(teacher, name="observation sent")
