"""What the authorization matrices need to know about the notifications app.

Its pages and operations are not under a child: each member sees and changes only
their own notifications and settings, whatever their role (front desk and billing too).
"""

from tandem.accounts.models import Role

ALL = set(Role.values)

API_COLLECTION_RULES = {
    ("POST", "/notifications/read"): ALL,
    ("PUT", "/notifications/preferences"): ALL,
}
