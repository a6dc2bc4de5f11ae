"""The numbers a claim, a superbill or a Good Faith Estimate says about the clinic (the
billing provider: legal name, NPI, EIN, taxonomy, address) and about each therapist (the
rendering provider: NPI, taxonomy, credentials)."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Membership
from tandem.core.access import Conflict

from .models import BillingProfile, ProviderNumber
from .poverty import Region
from .x12.npi import is_valid_npi

EIN = re.compile(r"^\d{2}-?\d{7}$")
# NUCC health care provider taxonomy: ten characters ending in X (225X00000X, 235Z00000X).
TAXONOMY = re.compile(r"^[0-9]{3}[0-9A-Z]{6}X$")
ZIP = re.compile(r"^\d{5}(-?\d{4})?$")
# The states, DC and the territories, as USPS writes them.
STATES = frozenset(
    re.findall(
        r"[A-Z]{2}",
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
        "NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP",
    )
)


def npi_is_valid(npi: str) -> bool:
    """Ten digits whose last is the Luhn check digit over 80840 + the first nine (CMS)."""
    return is_valid_npi(npi)


PROFILE_FIELDS = (
    "legal_name",
    "npi",
    "tax_id",
    "taxonomy",
    "address",
    "city",
    "state",
    "postal_code",
    "phone",
    "region",
)
REQUIRED = {
    "legal_name",
    "npi",
    "tax_id",
    "taxonomy",
    "address",
    "city",
    "state",
    "postal_code",
}


def _npi_problem(npi: str) -> str | None:
    if not npi_is_valid(npi):
        return _("An NPI has 10 digits and a valid check digit: check it against the NPI record.")
    return None


def _taxonomy_problem(code: str) -> str | None:
    if not TAXONOMY.match(code):
        return _("A taxonomy code has 10 characters ending in X, such as 225X00000X.")
    return None


def clean_profile(data: dict[str, Any]) -> dict[str, str]:
    """The clinic's numbers as stored (digits only where a claim wants digits), or a
    ValidationError naming each field that is wrong."""
    values = {name: str(data.get(name) or "").strip() for name in PROFILE_FIELDS}
    values["npi"] = values["npi"].replace(" ", "")
    values["taxonomy"] = values["taxonomy"].upper()
    values["state"] = values["state"].upper()
    values["region"] = values["region"] or Region.CONTIGUOUS
    problems: dict[str, list[str]] = {}
    for name in sorted(REQUIRED):
        if not values[name]:
            problems[name] = [_("This is needed on every claim.")]
    if values["npi"] and (problem := _npi_problem(values["npi"])):
        problems["npi"] = [problem]
    if values["tax_id"]:
        if EIN.match(values["tax_id"]):
            values["tax_id"] = values["tax_id"].replace("-", "")
        else:
            problems["tax_id"] = [_("An EIN has 9 digits, written 12-3456789.")]
    if values["taxonomy"] and (problem := _taxonomy_problem(values["taxonomy"])):
        problems["taxonomy"] = [problem]
    if values["state"] and values["state"] not in STATES:
        problems["state"] = [_("Write the state's two-letter code, such as OR.")]
    if values["postal_code"]:
        if ZIP.match(values["postal_code"]):
            values["postal_code"] = values["postal_code"].replace("-", "")
        else:
            problems["postal_code"] = [_("A ZIP code has 5 or 9 digits.")]
    if values["region"] not in Region.values:
        problems["region"] = [_("Choose where the clinic is.")]
    limits = {f.name: f.max_length for f in BillingProfile._meta.fields if f.name in values}
    for name, value in values.items():
        if name not in problems and limits.get(name) and len(value) > (limits[name] or 0):
            problems[name] = [_("This is too long.")]
    if problems:
        raise ValidationError(problems)
    return values


@transaction.atomic
def save_profile(
    by: Membership, data: dict[str, Any], *, expected_version: int | None
) -> BillingProfile:
    """Save the clinic's billing numbers (based on ``expected_version``: 0 when new)."""
    values = clean_profile(data)
    profile = (
        BillingProfile.objects.select_for_update()
        .filter(organization_id=by.organization_id)
        .first()
    )
    current = profile.version if profile else 0
    if expected_version is not None and expected_version != current:
        raise Conflict(current)
    if profile is None:
        profile = BillingProfile(organization_id=by.organization_id, **values)
    else:
        for name, value in values.items():
            setattr(profile, name, value)
        profile.version += 1
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:  # made by someone else meanwhile
        raise Conflict(1) from None
    return profile


@transaction.atomic
def save_provider_number(
    by: Membership, therapist: Membership, *, npi: str, taxonomy: str, credentials: str = ""
) -> ProviderNumber | None:
    """Set a therapist's numbers on claims (the rendering provider); no NPI removes them."""
    if therapist.organization_id != by.organization_id:
        raise ValidationError({"membership": [_("Choose one of the clinic's therapists.")]})
    npi = (npi or "").replace(" ", "")
    taxonomy = (taxonomy or "").strip().upper()
    credentials = (credentials or "").strip()
    found = ProviderNumber.objects.filter(
        organization_id=by.organization_id, membership=therapist
    ).first()
    if not npi:
        if found is not None:
            found.delete()
        return None
    problems: dict[str, list[str]] = {}
    if problem := _npi_problem(npi):
        problems["npi"] = [problem]
    if problem := _taxonomy_problem(taxonomy):
        problems["taxonomy"] = [problem]
    if len(credentials) > 40:
        problems["credentials"] = [_("At most 40 characters, such as OTR/L or CCC-SLP.")]
    if problems:
        raise ValidationError(problems)
    row = found or ProviderNumber(organization_id=by.organization_id, membership=therapist)
    row.npi, row.taxonomy, row.credentials = npi, taxonomy, credentials
    row.save()
    return row
