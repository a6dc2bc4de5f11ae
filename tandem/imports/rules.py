"""Who brings a caseload in: the clinic's admins only (children, families and care teams
created by the hundred are an admin's decision). Everyone else finds no import page."""

from tandem.access import ADMIN, register

register("imports.run", ADMIN)
