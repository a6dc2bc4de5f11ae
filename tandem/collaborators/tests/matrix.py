"""What the authorization matrix needs to know about the collaborators app's routes.

Each page needs the part of the record a consent shares (CONSENT_RULES); the world's
collaborator personas hold consents in scope, out of scope, expired and revoked (see
tandem/conftest.py). The consents themselves are the consent app's (its matrix).
"""

# Collaborator pages: route → the part of the record a consent must share.
CONSENT_RULES = {
    "collaborators:child": "summary",
    "collaborators:notes": "notes",
    "collaborators:observe": "observations",
}

# The API (paths relative to /api/v1/): what a consent shares, which the child's team and
# family may read too; the child's guardians (and admins) may post observations here.
API_WRITE_RULES = {
    ("POST", "/children/{child_id}/shared/observations"): "guardian",
}
API_READ_RULES = {
    # Therapists record observations on the home program's own path.
    ("GET", "/children/{child_id}/shared/observations"): "guardian",
}
API_CONSENT_RULES = {
    ("GET", "/children/{child_id}/shared/summary"): "summary",
    ("GET", "/children/{child_id}/shared/notes"): "notes",
    ("POST", "/children/{child_id}/shared/observations"): "observations",
}

# Everyone's home ("/" sends each role to its own).
OFFICE_RULES = {"home": {"front_desk": "read", "billing": "read"}}
