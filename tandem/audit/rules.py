"""Who reads the access log: clinic admins (the whole clinic's, a child's, a person's)."""

from tandem.access import ADMIN, register

register("audit.read", ADMIN)
