"""Who may manage the clinic's people and their own account.

- the people directory, invitations and changing a member: clinic admins;
- personal API tokens: clinical staff (admins and therapists), each their own;
- their own preferences, language and clinic switch: every member.
"""

from tandem.access import ADMIN, ANY_MEMBER, CLINICAL_STAFF, register

register("accounts.manage_people", ADMIN)
register("accounts.tokens", CLINICAL_STAFF)
register("accounts.own_settings", ANY_MEMBER)
