"""Who works the referrals and the waitlist.

- The public referral form and a family's status page need no sign-in: the form is the
  clinic's front door (a honeypot and a per-address limit keep robots out); the status
  page is reached only through the signed link emailed to the family;
- triage (reading referrals, putting a family on the waitlist, declining with a reason,
  asking for information, offering and withdrawing a first appointment) is for the
  clinic's front desk and admins. Therapists and billing do not see referrals: a
  referral becomes a child's record once the family accepts, and the therapist meets
  the child on the care team like any other.
"""

from tandem.access import OFFICE, register

register("intake.triage", OFFICE)
