"""Reading requests read the member's visible children once (issue 16).

GET and HEAD change nothing of who sees which child (seats, guardian links, consents and
emergency grants are written by POSTs), so within one of them the access kernel reads a
therapist's visible children's ids at the second scoped query, and that and every later
scoped query of the request filter on them (the first keeps the subquery:
``tandem.access.relation.ids_read_once``). Other methods keep the subquery in every
query, so a write and a read after it in the same request agree.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .relation import ids_read_once

READING = frozenset({"GET", "HEAD"})


class VisibleIdsOncePerRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in READING:
            return self.get_response(request)
        with ids_read_once():
            return self.get_response(request)
