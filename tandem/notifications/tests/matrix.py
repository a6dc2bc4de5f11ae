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

# Everyone has their own notifications and preferences, the office roles included.
OFFICE_RULES = {
    name: {"front_desk": "write", "billing": "write"}
    for name in (
        "notifications:index",
        "notifications:open",
        "notifications:read_all",
        "notifications:preferences",
    )
}
