"""Writing X12 5010 elements, segments and envelopes: the parts 837P and 835 share."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tandem.billing.x12.errors import X12Error

SEGMENT = "~"
ELEMENT = "*"
COMPONENT = ":"
REPETITION = "^"

# What the X12 basic character set allows, less the four delimiters this package writes.
_NOT_BASIC = re.compile(r"""[^A-Z0-9!"&'()+,\-./;?= ]""")
# Identifiers are sent as given; lower case is in the extended set that 5010 allows.
_NOT_IDENTIFIER = re.compile(r"""[^A-Za-z0-9!"&'()+,\-./;?= ]""")
_SPACES = re.compile(r"\s+")
_CENTS = Decimal("0.01")


@dataclass(frozen=True)
class Address:
    """A US street address; ``zip_code`` has 5 or 9 digits (ZIP+4 with or without a dash)."""

    line1: str
    city: str
    state: str
    zip_code: str
    line2: str = ""


def text(value: str, limit: int = 60) -> str:
    """Return free text upper-cased, accents folded, delimiters and other symbols dropped."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    cleaned = _NOT_BASIC.sub(" ", folded.upper())
    return _SPACES.sub(" ", cleaned).strip()[:limit].rstrip()


def identifier(value: str, label: str, limit: int = 50) -> str:
    """Return a code or number as given, or raise when it is empty, too long or has a delimiter."""
    value = value.strip()
    if not value:
        raise X12Error(f"The {label} is missing.")
    if _NOT_IDENTIFIER.search(value):
        raise X12Error(
            f"The {label} {value!r} may hold only letters, digits, spaces and .,-/()'&+;?=!\"."
        )
    if len(value) > limit:
        raise X12Error(f"The {label} {value!r} is longer than {limit} characters.")
    return value


def phone(value: str, who: str) -> str:
    """Return a US phone number as its 10 digits."""
    number = digits(value)
    if len(number) != 10:
        raise X12Error(f"The phone number of {who} must have 10 digits, not {value!r}.")
    return number


def money(amount: Decimal, label: str = "amount") -> str:
    """Write an amount without trailing zeros (150, 150.5, 150.25); refuse sub-cent values."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise X12Error(f"The {label} must be a Decimal, not {amount!r}.")
    if amount != amount.quantize(_CENTS):
        raise X12Error(f"The {label} {amount} has more than two decimal places.")
    written = f"{amount.quantize(_CENTS):f}".rstrip("0").rstrip(".")
    return "0" if written in ("", "-0") else written


def ccyymmdd(day: date) -> str:
    """Write a date as CCYYMMDD."""
    return day.strftime("%Y%m%d")


def digits(value: str) -> str:
    """Return only the digits of a phone number, ZIP code or tax id."""
    return "".join(char for char in value if char.isascii() and char.isdigit())


def segment(*elements: str) -> str:
    """Join a segment's elements, dropping the empty ones at the end, and terminate it."""
    parts = list(elements)
    while parts and parts[-1] == "":
        parts.pop()
    return ELEMENT.join(parts) + SEGMENT


def name_segment(
    entity: str, kind: str, last: str, first: str = "", qualifier: str = "", id: str = ""
) -> str:
    """Return an NM1 segment: entity code, 1 person or 2 organization, names, id qualifier, id."""
    return segment("NM1", entity, kind, last, first, "", "", "", qualifier, id)


def composite(*components: str) -> str:
    """Join a composite element's components, dropping the empty ones at the end."""
    parts = list(components)
    while parts and parts[-1] == "":
        parts.pop()
    return COMPONENT.join(parts)


def address_segments(address: Address, who: str, *, zip_plus_four: bool = False) -> list[str]:
    """Return the N3 and N4 segments of an address."""
    state = address.state.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", state):
        raise X12Error(f"The state of {who} must be two letters, not {address.state!r}.")
    zip_code = digits(address.zip_code)
    if len(zip_code) not in (5, 9) or (zip_plus_four and len(zip_code) != 9):
        wanted = "9 digits (ZIP+4)" if zip_plus_four else "5 or 9 digits"
        raise X12Error(f"The ZIP code of {who} must have {wanted}, not {address.zip_code!r}.")
    line1 = text(address.line1, 55)
    city = text(address.city, 30)
    if not line1 or not city:
        raise X12Error(f"The address of {who} needs a street line and a city.")
    return [
        segment("N3", line1, text(address.line2, 55)),
        segment("N4", city, state, zip_code),
    ]


@dataclass(frozen=True)
class Envelope:
    """The interchange (ISA) and functional group (GS) around one transaction set."""

    control_number: int
    group_control_number: int
    created_at: datetime
    sender_id: str
    receiver_id: str
    usage: str = "T"


def envelope(
    body: list[str], env: Envelope, *, group: str, transaction: str, version: str, st03: bool
) -> str:
    """Wrap body segments (BHT or BPR onward) in ST/SE, GS/GE and ISA/IEA.

    ``st03`` repeats the version in ST03, as the 837 guides require and the 835 forbids.
    """
    for number, label in ((env.control_number, "interchange"), (env.group_control_number, "group")):
        if not 1 <= number <= 999_999_999:
            raise X12Error(f"The {label} control number must be 1 to 999999999, not {number}.")
    if env.usage not in ("T", "P"):
        raise X12Error(
            f"The usage indicator must be T (test) or P (production), not {env.usage!r}."
        )
    if env.created_at.tzinfo is None:
        raise X12Error("The creation time must be timezone-aware.")
    sender = identifier(env.sender_id, "sender id", 15)
    receiver = identifier(env.receiver_id, "receiver id", 15)
    at = env.created_at
    isa = segment(
        "ISA", "00", " " * 10, "00", " " * 10,
        "ZZ", sender.ljust(15), "ZZ", receiver.ljust(15),
        at.strftime("%y%m%d"), at.strftime("%H%M"), REPETITION, "00501",
        f"{env.control_number:09d}", "0", env.usage, COMPONENT,
    )  # fmt: skip
    gs = segment(
        "GS", group, sender, receiver, ccyymmdd(at), at.strftime("%H%M"),
        str(env.group_control_number), "X", version,
    )  # fmt: skip
    st_number = "0001"
    return "".join(
        [
            isa,
            gs,
            segment("ST", transaction, st_number, version if st03 else ""),
            *body,
            # SE counts every segment from ST to SE, both included.
            segment("SE", str(len(body) + 2), st_number),
            segment("GE", "1", str(env.group_control_number)),
            segment("IEA", "1", f"{env.control_number:09d}"),
        ]
    )
