"""What the authorization matrices need to know about the notifications app.

Its pages and operations are not under a child: each member sees and changes only
their own notifications and settings, whatever their role.
"""

from tandem.accounts.models import Role

ALL = {Role.ADMIN, Role.THERAPIST, Role.GUARDIAN, Role.COLLABORATOR}

API_COLLECTION_RULES = {
    ("POST", "/notifications/read"): ALL,
    ("PUT", "/notifications/preferences"): ALL,
}
