"""Types for annotating tests: the test client's response and the ``client_as`` fixture."""

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

from django.test import Client

from tandem.accounts.models import Membership

if TYPE_CHECKING:
    # What Django's test client answers: an HttpResponse with .json(), .context, .client.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response
else:
    from django.http import HttpResponse as Response

# ``client_as(membership)``: a test client signed in as that member (tandem/conftest.py).
ClientAs: TypeAlias = Callable[[Membership], Client]


__all__ = ["ClientAs", "Response"]
