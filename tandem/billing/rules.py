"""Who does what with fees, insurance, charges and claims (PRODUCT.md, roles: billing sees
what a claim needs — dates, codes, units, diagnoses, payer — and no note narratives).

Child-scoped:

- ``billing.view`` — a child's billing page (charges, payments, policies,
  authorizations, the fee agreement) and the child's superbill: admins and billing.
- ``billing.codes`` — list a draft note's service codes: the note's author (an editor).
- ``billing.correct`` — correct a signed note's codes (with an addendum saying why): an
  editor of the child.
- ``billing.insurance`` — add or change a child's policies and authorizations: admins,
  billing and the front desk (who take the insurance card at intake).
- ``billing.authorizations`` — read how much of a child's authorizations is used: the
  child's team, admins, billing and the front desk.
- ``billing.household`` — record a family's household size and income, who pays, a
  grant: admins and billing.
- ``billing.payments`` — record a payment or a write-off: admins and billing.
- ``billing.family`` — a child's fees page for the family (their tier and why, their
  statement, a Good Faith Estimate): the child's guardians, admins and billing.

Clinic-wide (no child in the URL):

- ``billing.manage`` — the billing pages (queues, aging, fee schedule, sliding-scale
  tiers, payers, claim files, remittances): admins and billing.
"""

from tandem.access import (
    ADMIN,
    AUTHOR,
    BILLING,
    EDITOR,
    FRONT_DESK,
    GUARDIAN,
    TEAM,
    register,
)

OFFICE_BILLING = ADMIN | BILLING

register("billing.view", OFFICE_BILLING)
register("billing.codes", EDITOR & AUTHOR)
register("billing.correct", EDITOR)
register("billing.insurance", OFFICE_BILLING | FRONT_DESK)
register("billing.authorizations", TEAM | OFFICE_BILLING | FRONT_DESK)
register("billing.household", OFFICE_BILLING)
register("billing.payments", OFFICE_BILLING)
register("billing.family", GUARDIAN | OFFICE_BILLING)
register("billing.manage", OFFICE_BILLING)
