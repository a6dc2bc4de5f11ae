"""What the authorization matrices need to know about the accounts app's routes.

The people pages, invitations and API tokens are the clinic admin's and staff's; a
person's own preferences, language and clinic switch are everyone's, the office roles'
included.
"""

OFFICE_RULES = {
    name: {"front_desk": "write", "billing": "write"}
    for name in ("accounts:preferences", "accounts:language", "accounts:switch_clinic")
}
