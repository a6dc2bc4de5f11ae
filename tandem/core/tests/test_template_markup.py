"""Markup mistakes axe-core reports as serious, caught in every template before a browser
test has to render the page that shows them (an error list appears only on bad input)."""

import re
from pathlib import Path

TANDEM = Path(__file__).resolve().parents[2]
# role="alert" on a <ul>/<ol> replaces its list role, orphaning its <li> items (axe
# "listitem"); the alert goes on a wrapping element instead.
# (role="list" only restores the list role that list-style: none takes away in Safari.)
LIST_WITH_A_ROLE = re.compile(r"<(ul|ol)\b[^>]*\brole=(?![\"']list[\"'])", re.IGNORECASE)


def test_no_list_in_a_template_has_its_role_replaced():
    offenders = [
        f"{path.relative_to(TANDEM)}:{number}"
        for path in TANDEM.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if LIST_WITH_A_ROLE.search(line)
    ]
    assert offenders == []
