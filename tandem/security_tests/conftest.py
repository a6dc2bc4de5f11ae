"""Fixtures of the security suite (tandem/security_tests/)."""

from typing import Any

import pytest

from .peers import Identity, add_peers, identities


@pytest.fixture(scope="module")
def peer_world(matrix_world: Any, django_db_blocker: Any) -> Any:
    """The matrix's world (built once per module, rolled back after it) with a peer for
    each role and every identity's credentials (``peers.py``): ``peer_world.identities``."""
    with django_db_blocker.unblock():
        add_peers(matrix_world)
        matrix_world.identities = identities(matrix_world)
    return matrix_world


@pytest.fixture(scope="module")
def peer_identities(peer_world: Any) -> dict[str, Identity]:
    return {identity.name: identity for identity in peer_world.identities}
