"""The audit trail filters (person, child, dates, action) and exports what it shows."""

import csv
import io
from datetime import timedelta
from typing import Any

from django.http import StreamingHttpResponse
from django.urls import reverse

from tandem.audit.csv_export import HEADER, safe
from tandem.audit.models import AccessLog
from tandem.audit.tests.test_audit_pages import edit_child
from tandem.conftest import World
from tandem.core.clock import today_for
from tandem.core.testing.factories import ChildFactory
from tandem.core.testing.types import ClientAs


def views(world: World, client_as: ClientAs) -> None:
    client_as(world.guardian).get(reverse("children:detail", args=[world.child.id]))
    client_as(world.therapist).get(reverse("children:detail", args=[world.sibling.id]))


def page(world: World, client_as: ClientAs, **query: str) -> str:
    response = client_as(world.admin).get(reverse("audit:index"), query)
    assert response.status_code == 200
    return response.content.decode()


def rows_of(response: Any) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)  # streamed, however long
    text = b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    return list(csv.reader(io.StringIO(text)))


def test_filters_narrow_the_trail(world: World, client_as: ClientAs) -> None:
    views(world, client_as)
    everyone = page(world, client_as)
    assert "Maya Okafor" in everyone and "Eli Okafor" in everyone
    by_child = page(world, client_as, child=str(world.sibling.id))
    assert '<a href="/audit/children/' + str(world.sibling.id) in by_child
    assert f'href="/audit/children/{world.child.id}/"' not in by_child.split("Views, refusals")[1]
    by_person = page(world, client_as, person=str(world.guardian.id))
    trail = by_person.split("Views, refusals")[1].split("<h2>Changes")[0]
    assert world.guardian.display_name in trail and world.therapist.display_name not in trail


def test_date_range_uses_the_clinics_days(world: World, client_as: ClientAs) -> None:
    views(world, client_as)
    today = today_for(world.org)
    kept = page(world, client_as, start=today.isoformat(), end=today.isoformat())
    assert "Child record" in kept
    later = (today + timedelta(days=1)).isoformat()
    gone = page(world, client_as, start=later)
    assert "No views match these filters." in gone and "No changes match" in gone


def test_action_filter_keeps_only_that_action(world: World, client_as: ClientAs) -> None:
    views(world, client_as)
    edit_child(world, client_as, interests="Trains")
    changed = page(world, client_as, action="changed")
    assert "No views match these filters." in changed and "Trains" in changed
    viewed = page(world, client_as, action="view")
    assert "Child record" in viewed and "No changes match these filters." in viewed


def test_bad_filters_are_a_message_not_an_error(world: World, client_as: ClientAs) -> None:
    views(world, client_as)
    bad = page(world, client_as, start="31/31/2026")
    assert "Enter a valid date." in bad and "Correct the filters above" in bad
    backwards = page(world, client_as, start="2026-05-02", end="2026-05-01")
    assert "The end date is before the start date." in backwards
    foreign = page(world, client_as, child=str(world.foreign_child.id))
    assert "Select a valid choice." in foreign and world.foreign_child.display_name not in foreign
    export = client_as(world.admin).get(reverse("audit:export"), {"end": "soon"})
    assert export.status_code == 400 and "Enter a valid date." in export.content.decode()


def test_csv_export_of_the_filtered_trail(world: World, client_as: ClientAs) -> None:
    views(world, client_as)
    edit_child(world, client_as, interests='=HYPERLINK("http://x")')
    response = client_as(world.admin).get(reverse("audit:export"), {"child": str(world.child.id)})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == HEADER
    body = rows[1:]
    viewed = [r for r in body if r[3] == "view"]
    assert viewed and all(r[4] == "Maya Okafor" for r in viewed)
    assert ["Child record", "children:detail"] in [r[6:8] for r in viewed]
    assert viewed[0][0][:10] == today_for(world.org).isoformat()  # ISO, not "5 Dec 2026"
    assert not [r for r in body if r[4] == "Eli Okafor"]  # another child: filtered out
    interests = [r for r in body if r[10] == "Interests"]
    assert interests and interests[0][12] == '\'=HYPERLINK("http://x")'
    born = [r for r in body if r[10] == "Date of birth"]
    assert born and born[0][12] == world.child.date_of_birth.isoformat()  # not "4 Dec 2019"


def test_the_export_is_itself_audited(world: World, client_as: ClientAs) -> None:
    response = client_as(world.admin).get(reverse("audit:export"), {"action": "view"})
    rows_of(response)
    row = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert row.user == world.admin.user and row.route == "audit:export"
    assert "action=view" in row.path
    assert "Audit trail CSV" in page(world, client_as, action="export")


def test_formula_cells_are_defused() -> None:
    assert [safe(v) for v in ("=1+1", "+1", "-2", "@x", "plain", 3, None)] == [
        "'=1+1",
        "'+1",
        "'-2",
        "'@x",
        "plain",
        "3",
        "",
    ]


def test_a_large_clinic_types_the_child_or_person_instead_of_picking(
    world: World, client_as: ClientAs, monkeypatch: Any, django_assert_max_num_queries: Any
) -> None:
    """Above PICK_MAX people or children the filter does not list them (a 20,000-child
    clinic's page held 40,000 options: 3.7 MB in 6 s): a name is typed and looked up,
    through the access layer, with a clear message when it fits nobody or several."""
    from tandem.audit import filters

    monkeypatch.setattr(filters, "PICK_MAX", 1)
    monkeypatch.setattr("tandem.audit.views.PICK_MAX", 1)
    views(world, client_as)
    admin = client_as(world.admin)
    admin.get(reverse("audit:index"))
    # The changes read each versioned model's history (a query each, ~50), as before.
    with django_assert_max_num_queries(60):
        admin.get(reverse("audit:index"), {"child": "eli"})
    everyone = page(world, client_as)
    assert '<input type="text" name="child"' in everyone
    assert "<option" not in everyone.split('name="child"', 1)[1].split("</div>", 1)[0]
    assert "Maya Okafor" in everyone and "Eli Okafor" in everyone  # the rows still name them
    eli = page(world, client_as, child="eli")
    assert (
        "Eli Okafor" in eli.split("<tbody>", 1)[1]
        and "Maya Okafor" not in eli.split("<tbody>", 1)[1]
    )
    both = page(world, client_as, child="Okafor")
    assert "Several children match “Okafor”" in both and "Eli Okafor" in both
    # Each is offered as a link that picks it by its id; the full name picks it too.
    assert f'href="?child={world.sibling.pk}"' in both
    assert f'href="?child={world.child.pk}"' in both
    full = page(world, client_as, child="  eli   OKAFOR ")
    assert "Eli Okafor" in full.split("<tbody>", 1)[1] and "Several" not in full
    nobody = page(world, client_as, child="Zara")  # another clinic's child: nobody here
    assert "No child of the clinic has “Zara” in their name." in nobody
    by_person = page(world, client_as, person=world.guardian.user.email)
    assert "Maya Okafor" in by_person.split("<tbody>", 1)[1]
    assert "Eli Okafor" not in by_person.split("<tbody>", 1)[1]
    # A child's own trail passes the child's id, which the typed field takes too.
    own = client_as(world.admin).get(reverse("audit:child", args=[world.sibling.id]))
    assert own.status_code == 200 and "Eli Okafor" in own.content.decode()
    # And the export takes the same typed filter.
    export = client_as(world.admin).get(reverse("audit:export"), {"child": "eli"})
    rows = rows_of(export)
    assert rows[0] == HEADER and rows[1:] and all("Maya" not in ",".join(r) for r in rows[1:])
    # Two children of the same name stay two, each a link (with their birth date).
    twin = ChildFactory(organization=world.child.organization, first_name="Eli", last_name="Okafor")
    twins = page(world, client_as, child="Eli Okafor")
    assert "Several children match" in twins and f'href="?child={twin.pk}"' in twins
    assert f'href="?child={world.sibling.pk}"' in twins
    picked = page(world, client_as, child=str(twin.pk))
    assert "Several" not in picked
