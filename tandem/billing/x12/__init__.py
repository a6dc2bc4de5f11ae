"""X12 5010 for professional claims (837P) and remittances (835), without Django.

``build_837p`` writes claims, ``parse_835`` reads what the payer paid, ``build_835`` writes a
remittance (for tests and demo data) and ``validate`` checks a file with pyx12.
"""

from tandem.billing.x12.errors import X12Error

__all__ = ["X12Error"]
