import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from tandem.billing.x12.claim837 import Batch, ServiceLine, build_837p
from tandem.billing.x12.errors import X12Error
from tandem.billing.x12.tests.samples import (
    MAY_6,
    THERAPIST,
    batch,
    child_claim,
    self_claim,
    with_line,
)


def with_claim(**changes: Any) -> Batch:
    return batch(dataclasses.replace(self_claim(), **changes))


def fails(bad: Batch, message: str) -> None:
    with pytest.raises(X12Error, match=message):
        build_837p(bad)


def test_batch_without_claims_is_refused() -> None:
    fails(dataclasses.replace(batch(), claims=()), "The batch has no claims")


def test_claim_without_lines_is_refused() -> None:
    fails(with_claim(lines=()), "Claim 'TND-0002' has no service lines")


def test_claim_with_more_than_50_lines_is_refused() -> None:
    lines = (ServiceLine("97530", Decimal(10), 1, MAY_6),) * 51
    fails(with_claim(lines=lines), "has 51 service lines; an 837P claim allows 50")


def test_missing_npi_is_refused() -> None:
    fails(with_claim(rendering_provider=dataclasses.replace(THERAPIST, npi="")), "NPI .* missing")


def test_npi_with_a_wrong_check_digit_is_refused() -> None:
    provider = dataclasses.replace(batch().billing_provider, npi="1234567890")
    fails(dataclasses.replace(batch(), billing_provider=provider), r"\(1234567890\) is not valid")


def test_diagnosis_pointer_past_the_diagnoses_is_refused() -> None:
    claim = with_line(self_claim(), diagnosis_pointers=(1, 2))
    fails(batch(claim), "diagnosis pointer 2 points past the claim's 1 diagnoses")


def test_units_below_one_are_refused() -> None:
    fails(batch(with_line(self_claim(), units=0)), "line 1: the units must be at least 1")


def test_negative_amount_is_refused() -> None:
    claim = with_line(self_claim(), charge=Decimal("-5"))
    fails(batch(claim), r"line 1: the charge cannot be negative \(-5\)")


def test_sub_cent_amount_is_refused() -> None:
    fails(batch(with_line(self_claim(), charge=Decimal("1.005"))), "more than two decimal places")


def test_long_patient_control_number_is_refused() -> None:
    fails(with_claim(patient_control_number="X" * 21), "longer than 20 characters")


def test_too_many_diagnoses_are_refused() -> None:
    fails(with_claim(diagnoses=("F840",) * 13), "needs 1 to 12 diagnoses, not 13")


def test_child_claim_without_patient_is_refused() -> None:
    claim = dataclasses.replace(child_claim(), patient=None)
    fails(batch(claim), "the patient is not the subscriber, so the patient is needed")


def test_billing_provider_needs_zip_plus_four() -> None:
    provider = batch().billing_provider
    short = dataclasses.replace(
        provider, address=dataclasses.replace(provider.address, zip_code="62704")
    )
    fails(dataclasses.replace(batch(), billing_provider=short), r"must have 9 digits \(ZIP\+4\)")


def test_naive_creation_time_is_refused() -> None:
    naive = batch().created_at.replace(tzinfo=None)
    fails(dataclasses.replace(batch(), created_at=naive), "timezone-aware")


def test_control_number_out_of_range_is_refused() -> None:
    fails(dataclasses.replace(batch(), control_number=10**9), "1 to 999999999")
