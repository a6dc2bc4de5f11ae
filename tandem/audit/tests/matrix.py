"""What the authorization matrix needs to know about the audit app's routes."""

# Who has seen a child's record: the clinic's admins, and the child's legal guardians
# (the personal representative's right to an accounting); other guardians find no page.
READ_RULES = {
    "audit:seen": "admin|legal_guardian",
}
