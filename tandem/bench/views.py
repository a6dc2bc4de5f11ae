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
from tandem.accounts.models import Organization


@require_GET
@member_required()
def floor(request: MemberRequest) -> JsonResponse:
    membership = request.membership
    organization = Organization.objects.only("id", "name").get(pk=membership.organization_id)
    return JsonResponse({"organization": organization.name})
