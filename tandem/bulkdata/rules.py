"""Who may ask for a FHIR Bulk Data export (``$export``), and who manages them.

- ``bulkdata.system`` — the whole clinic's data (``/fhir/R4/$export``, the
  ``system/*.read`` scope): the clinic's admins.
- ``bulkdata.export`` — ``Patient/$export`` and ``Group/<id>/$export``: the clinic's
  staff and office (admins, therapists, front desk, billing). What the files hold is what
  the member reads through the FHIR API, type by type (the kernel's answer): a therapist
  their caseload's records, the front desk the profiles and families.
- ``bulkdata.manage`` — the clinic's bulk exports page (every member's, with cancel):
  admins.
"""

from tandem.access import ADMIN, BILLING, CLINICAL_STAFF, FRONT_DESK, register

register("bulkdata.system", ADMIN)
register("bulkdata.export", CLINICAL_STAFF | FRONT_DESK | BILLING)
register("bulkdata.manage", ADMIN)
