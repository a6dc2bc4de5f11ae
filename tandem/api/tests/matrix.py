"""What the authorization matrices need to know about the API's own operations.

Paths are relative to /api/v1/. Write rules as in ``core/tests/test_authorization_matrix``:
"editor" = clinic admins and lead/treating therapists; "admin" = clinic admins only.
"""

import uuid

from tandem.accounts.models import Role
from tandem.children.models import Child

API_WRITE_RULES = {
    ("PATCH", "/children/{child_id}"): "editor",
    ("DELETE", "/children/{child_id}"): "admin",
    ("POST", "/children/{child_id}/guardians"): "admin",
    ("PATCH", "/children/{child_id}/guardians/{link_id}"): "admin",
    ("DELETE", "/children/{child_id}/guardians/{link_id}"): "admin",
    ("POST", "/children/{child_id}/care-team"): "admin",
    ("PATCH", "/children/{child_id}/care-team/{member_id}"): "admin",
    ("DELETE", "/children/{child_id}/care-team/{member_id}"): "admin",
}

API_COLLECTION_RULES = {
    ("GET", "/me"): set(Role.values),
    ("GET", "/children"): set(Role.values),
    ("POST", "/children"): {Role.ADMIN, Role.FRONT_DESK},  # intake
}


def _a_guardian_link(child: Child) -> uuid.UUID:
    from tandem.core.testing.factories import GuardianLinkFactory

    return (child.guardian_links.first() or GuardianLinkFactory(child=child)).id


def _a_care_team_seat(child: Child) -> uuid.UUID:
    from tandem.core.testing.factories import CareTeamMemberFactory

    return (child.care_team.first() or CareTeamMemberFactory(child=child)).id


# The API matrix sends every DELETE before the other methods (it walks operations in
# sorted order), and an admin's DELETE really unlinks: find a link or seat, or make one.
FILLERS = {"link_id": _a_guardian_link, "member_id": _a_care_team_seat}

# The front desk reads and changes profiles and links guardians (intake); it sees the care
# team but only an admin changes it or unlinks a guardian. Billing reads the profile.
_C = "/children/{child_id}"
OFFICE_API_RULES = {
    ("GET", _C): {"front_desk", "billing"},
    ("PATCH", _C): {"front_desk"},
    ("GET", f"{_C}/care-team"): {"front_desk"},
    ("GET", f"{_C}/guardians"): {"front_desk"},
    ("POST", f"{_C}/guardians"): {"front_desk"},
}
