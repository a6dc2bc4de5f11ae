"""Who reads the access log: clinic admins (the whole clinic's, a child's, a person's);
who has seen a child's record: also the child's legal guardians (their personal
representative's right to an accounting, PRODUCT.md)."""

from tandem.access import ADMIN, LEGAL_GUARDIAN, register

register("audit.read", ADMIN)
register("audit.seen", ADMIN | LEGAL_GUARDIAN)
