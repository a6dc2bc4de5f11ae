"""Every route the access log can name reads as a page name people understand."""

from django.utils import translation

from tandem.audit.pages import MACHINE_PREFIXES, PAGE_NAMES, page_name
from tandem.core.testing.matrix import all_routes
from tandem.core.testing.matrix.rules import ACCOUNT_PAGES_PREFIXES


def test_every_logged_route_has_a_page_name() -> None:
    """Walks the URL resolver: a new page without a name here fails (add it to
    tandem/audit/pages.py). API and FHIR operations read as "API · <operation>"."""
    routes = {
        r.name
        for r in all_routes()
        if not r.name.startswith((*ACCOUNT_PAGES_PREFIXES, *MACHINE_PREFIXES))
        and r.name not in {"healthz", "set_language"}
    }
    missing = sorted(routes - set(PAGE_NAMES))
    assert not missing, f"name these pages in tandem/audit/pages.py: {missing}"


def test_names_are_readable_and_translated() -> None:
    assert page_name("children:detail") == "Child record"
    assert page_name("api:get_child_record") == "API · Get child record"
    assert page_name("fhir:patient-read") == "FHIR · Patient read"
    assert page_name("someapp:new_thing") == "Someapp · New thing"
    with translation.override("es"):
        assert page_name("children:detail") == "Expediente del niño"
