"""Who may do what with a child's record (its profile, family and care team).

- the caseload (every child one works with): clinical staff, the front desk and billing;
- adding a child (intake): clinic admins and the front desk;
- the profile and photo: the care team, the child's guardians, the front desk and billing;
- the family and care-team page: the same, but billing (they need no more than the profile);
- changing the profile: clinical editors (admins, lead/treating therapists) and the front desk;
  its interests and strengths (tags and free text) also the child's guardians;
- linking a guardian (intake): clinic admins and the front desk; unlinking one, and every
  change of the care team: clinic admins;
- archiving a child: clinic admins.

Collaborators see none of these pages: what a consent shares with them is in
``tandem.collaborators``. Nobody sees a child of another clinic.
"""

from tandem.access import (
    ADMIN,
    ANY_MEMBER,
    BILLING,
    CLINICAL_STAFF,
    EDITOR,
    FRONT_DESK,
    GUARDIAN,
    OFFICE,
    TEAM,
    register,
)

register("children.caseload", CLINICAL_STAFF | FRONT_DESK | BILLING)
# The API's list of children: each member's own (collaborators: none; their children are
# listed by what a consent shares, in tandem.collaborators).
register("children.list", ANY_MEMBER)
register("children.create", OFFICE)
register("children.view", TEAM | GUARDIAN | FRONT_DESK | BILLING)
register("children.team", TEAM | GUARDIAN | FRONT_DESK)
register("children.edit", EDITOR | FRONT_DESK)
# The child's interests and strengths (tags and their free text): also the family's to say.
register("children.interests_edit", EDITOR | GUARDIAN | FRONT_DESK)
register("children.link_guardian", ADMIN | FRONT_DESK)
register("children.unlink_guardian", ADMIN)
register("children.edit_guardian_link", ADMIN)
register("children.manage_care_team", ADMIN)
register("children.archive", ADMIN)
# Diagnoses are clinical: the front desk does not see them; billing does (claims need them).
register("children.diagnoses", TEAM | GUARDIAN | BILLING)
register("children.caseload_diagnoses", CLINICAL_STAFF | BILLING)
