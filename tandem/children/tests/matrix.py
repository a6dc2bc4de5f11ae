"""What the authorization matrix needs to know about the children app's routes."""

WRITE_RULES = {
    "children:edit": "editor",
    "children:guardian_add": "admin",
    "children:guardian_remove": "admin",
    "children:care_add": "admin",
    "children:care_update": "admin",
    "children:care_remove": "admin",
    # Interests and strengths: the child's editors and guardians (and the front desk).
    "children:interests": "editor|guardian",
}

FILLERS = {
    "link_id": lambda child: child.guardian_links.first().id,
    "member_id": lambda child: child.care_team.first().id,
}

# The front desk keeps the clinic's register (intake, profiles, linking guardians) and
# sees who is on the team; billing reads the caseload and profiles (diagnoses go on
# claims) and changes none.
OFFICE_RULES = {
    "children:caseload": {"front_desk": "read", "billing": "read"},
    "children:new": {"front_desk": "write"},
    "children:detail": {"front_desk": "read", "billing": "read"},
    "children:photo": {"front_desk": "read", "billing": "read"},
    "children:interests": {"front_desk": "write", "billing": "read"},
    "children:edit": {"front_desk": "write"},
    "children:team": {"front_desk": "read"},
    "children:guardian_add": {"front_desk": "write"},
    # Unlinking a parent and seating therapists decide who sees the child: the admin's.
    "children:guardian_remove": {"front_desk": "read"},
    "children:care_add": {"front_desk": "read"},
    "children:care_update": {"front_desk": "read"},
    "children:care_remove": {"front_desk": "read"},
}
