"""API tokens through the authorization matrix.

Each app walks its own operations as every persona with a session
(``<app>/tests/test_matrix.py``); this walks every operation with a personal read-only
token, which must read as its member does and change nothing.
"""

from typing import Any

import pytest
from django.test import Client

from tandem.accounts.models import TokenScope
from tandem.api.tests.conftest import make_token
from tandem.core.testing import matrix as m

OPERATIONS = m.api_operations()


@pytest.mark.parametrize("persona", ["admin", "therapist"])
def test_a_read_only_token_reads_like_its_member_and_changes_nothing(
    matrix_world: Any, db: None, persona: str
) -> None:
    """Reads answer as for the member's session; every write is refused (403, or 404
    where the member sees nothing)."""
    raw = make_token(getattr(matrix_world, persona), scope=TokenScope.READ)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    failures = []
    for op in OPERATIONS:
        for url, child, elsewhere in m.urls_of(matrix_world, persona, op.path):
            rules = (
                {404}
                if elsewhere
                else m.expected_api(matrix_world, persona, op.method, op.path, child)
            )
            allowed = rules if op.method == "GET" else (rules & {403, 404}) or {403}
            status = m.call(client, op.method, url).status_code
            if status not in allowed:
                failures.append(f"{op.method} {url} → {status} (allowed {sorted(allowed)[:5]})")
    assert not failures, f"{persona}:\n" + "\n".join(failures)
