"""Who may take a child's whole record away: ``records.family_record``.

A family's right of access: a guardian of the child with legal authority asks for the
child's full record (a ZIP made by the worker). Nobody else: not a guardian without
legal authority (404 on the page, 403 on the ask), not the clinic's staff (they have
their own exports), not a collaborator.
"""

from tandem.access import LEGAL_GUARDIAN, register

FAMILY_RECORD = "records.family_record"

register(FAMILY_RECORD, LEGAL_GUARDIAN)
