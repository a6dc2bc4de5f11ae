"""The floor endpoint of ``make bench``: the cheapest authenticated page there can be.

It goes through the whole middleware stack (session, authentication, membership, session
lifetime, staff MFA, …) and does one primary-key lookup, so the other endpoints' figures
can be read as ratios to it. Its URL exists only with ``TANDEM_BENCH=1`` (tandem/urls.py),
so the authorization matrices, which run without it, never see it.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from tandem.access import MemberRequest
from tandem.access.views import member_required
from tandem.accounts.access import own_organization


@require_GET
@member_required()
def floor(request: MemberRequest) -> JsonResponse:
    membership = request.membership
    organization = own_organization(membership).only("id", "name").get()
    return JsonResponse({"organization": organization.name})
