"""What the authorization matrix needs to know about the children app's routes."""

WRITE_RULES = {
    "children:edit": "editor",
    "children:guardian_add": "admin",
    "children:guardian_remove": "admin",
    "children:care_add": "admin",
    "children:care_update": "admin",
    "children:care_remove": "admin",
}

FILLERS = {
    "link_id": lambda child: child.guardian_links.first().id,
    "member_id": lambda child: child.care_team.first().id,
}
