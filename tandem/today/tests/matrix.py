"""What the authorization matrices need to know about the today app.

Its two pages name no record: "Today" is for admins and therapists (everyone else finds
nothing there: 404), the clinic's numbers for admins. The office roles have neither.
"""

from tandem.accounts.models import Role

API_COLLECTION_RULES = {
    ("GET", "/today"): {Role.ADMIN, Role.THERAPIST},
    ("GET", "/clinic/numbers"): {Role.ADMIN},
}
