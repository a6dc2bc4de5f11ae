"""Resources that speak of what the child loves (``children.interests``): "Suggested for
Maya's interests" on the child's resources page.

Staff look through the clinic's library (current resources, the child's age); families
through what is already theirs to read (shared with them, or fitting the child's plan).
"""

from django.db.models import Q

from tandem.accounts.models import Membership
from tandem.children.interests import keywords_of, matching_interests
from tandem.children.models import Child
from tandem.core import clock

from .access import library_for, months_old
from .models import Resource

LIMIT = 6


def for_interests(
    membership: Membership, child: Child, readable: list[Resource], *, library: bool
) -> list[Resource]:
    """Up to ``LIMIT`` resources whose title or summary names one of the child's interests
    (one query for staff, none for families: ``readable`` is what the page already read)."""
    interests = list(child.interest_tags or [])
    words = keywords_of(interests)
    if not words:
        return []
    if library:
        match = Q()
        for word in words:
            match |= Q(title__icontains=word) | Q(summary__icontains=word)
        age = months_old(child, clock.today())
        candidates = [r for r in library_for(membership).filter(match) if r.fits_age(age)]
    else:
        candidates = readable
    found = [r for r in candidates if matching_interests(f"{r.title} {r.summary}", interests)]
    return found[:LIMIT]
