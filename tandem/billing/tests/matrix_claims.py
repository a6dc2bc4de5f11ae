"""What the authorization matrices need to know about the billing claims routes
(PRODUCT.md, roles: billing sends the claims and posts what payers answer):

- claim files (837P) and remittances (835) are the clinic's: admins and billing
  (``billing.manage``) build and import them; everyone else finds nothing there (404);
- another clinic's file or remittance is not there, whoever asks (404).
"""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tandem.conftest import World

_BILLING = {"admin", "billing"}
_WRITE = {"billing": "write"}
_READ = {"billing": "read"}

WRITE_RULES: dict[str, str] = {}
READ_RULES: dict[str, str] = {}
OFFICE_RULES: dict[str, dict[str, str]] = {
    "billing:claims": _WRITE,
    "billing:batch": _READ,
    "billing:batch_file": _READ,
    "billing:remittances": _WRITE,
    "billing:remittance": _READ,
}
FILLERS: dict[str, Any] = {}


def _first(model: Any, organization: Any) -> Any:
    found = model.objects.filter(organization_id=organization.pk).order_by("created_at").first()
    assert found is not None, f"no {model.__name__}: call matrix_claims.populate"
    return found.id


def _batch_of(organization: Any) -> Any:
    from tandem.billing.models import ClaimBatch

    return _first(ClaimBatch, organization)


def _remittance_of(organization: Any) -> Any:
    from tandem.billing.models import Remittance

    return _first(Remittance, organization)


ORG_FILLERS: dict[str, Any] = {
    "batch_id": lambda world: (_batch_of(world.org), _batch_of(world.foreign_org)),
    "remittance_id": lambda world: (_remittance_of(world.org), _remittance_of(world.foreign_org)),
}
API_ORG_FILLERS: dict[str, Any] = {"batch_id": _batch_of, "remittance_id": _remittance_of}

_BATCHES = "/billing/claim-batches"
_REMITTANCES = "/billing/remittances"
API_COLLECTION_RULES: dict[tuple[str, str], set[str]] = {
    ("GET", _BATCHES): _BILLING,
    ("POST", _BATCHES): _BILLING,
    ("GET", _BATCHES + "/{batch_id}"): _BILLING,
    ("GET", _REMITTANCES): _BILLING,
    ("POST", _REMITTANCES): _BILLING,
    ("GET", _REMITTANCES + "/{remittance_id}"): _BILLING,
}
API_READ_RULES: dict[tuple[str, str], str] = {}
API_WRITE_RULES: dict[tuple[str, str], str] = {}
OFFICE_API_RULES: dict[tuple[str, str], set[str]] = {}


def populate(world: "World") -> None:
    """In each clinic, a claim file with a claim for one child (written straight to the
    database: no charge is billed, so no other page changes), and a remittance imported
    through the action, answering a claim that is not the clinic's."""
    from tandem.billing import remittances
    from tandem.billing.models import Claim, ClaimBatch, Policy
    from tandem.billing.x12.elements import Address, Envelope
    from tandem.billing.x12.remit835 import ClaimPayment, PayerContact, Remittance, build_835
    from tandem.core import clock

    for child, admin in ((world.child, world.admin), (world.foreign_child, world.foreign_admin)):
        policy = Policy.objects.filter(organization_id=child.organization_id, child=child).first()
        assert policy is not None, "call matrix_insurance.populate first"
        batch = ClaimBatch.objects.create(
            organization_id=child.organization_id,
            payer=policy.payer,
            number=1,
            created_by=admin,
            content="ISA*00*~",
        )
        Claim.objects.create(
            organization_id=child.organization_id,
            child=child,
            batch=batch,
            policy=policy,
            control_number="T000001",
            total=Decimal("100.00"),
        )
        answer = ClaimPayment(
            patient_control_number="X404",
            status_code="1",
            charge=Decimal("80"),
            paid=Decimal("80"),
            patient_responsibility=Decimal("0"),
            payer_claim_number="PCN-404",
            patient_last_name="Stranger",
            patient_first_name="Sam",
        )
        paid_on = clock.today_for(child.organization)
        text = build_835(
            Remittance(
                payer_name=policy.payer.name,
                payer_id="BMH01",
                payee_name=child.organization.name,
                payee_npi="1234567893",
                trace_number=f"TRACE{child.first_name.upper()}",
                payment_date=paid_on,
                total_paid=Decimal("80"),
                claims=(answer,),
            ),
            PayerContact(
                Address("1 Payer Way", "Chicago", "IL", "60601"), "361234567", "8005550199"
            ),
            Envelope(
                7, 7, datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC), "BMH01", "TANDEM"
            ),
        )
        remittances.import_835(admin, text)
