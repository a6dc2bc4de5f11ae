"""The service codes a pediatric therapy clinic bills, with Tandem's own short labels.

CPT® descriptors are the American Medical Association's copyrighted text, so each code
carries a label written here in plain words instead. A *timed* code is billed in
15-minute units by the 8-minute rule (``units.py``); an *untimed* code is one unit a
session whatever its length. The discipline modifier (GN speech, GO occupational, GP
physical therapy) goes on every therapy code a payer asks it for; 59/XU mark a distinct
service, 95 a session by video.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ServiceCode:
    code: str
    label: str | Promise
    timed: bool
    # The disciplines that usually bill it ("" = any); its discipline modifier, if any.
    disciplines: tuple[str, ...] = ()


SLP, OT, PT, ABA = ("slp",), ("ot",), ("pt",), ("behavioral",)
REHAB = ("ot", "pt")
ANY: tuple[str, ...] = ()

CODES: tuple[ServiceCode, ...] = (
    # Evaluations (untimed), by complexity where the code set splits them.
    ServiceCode("92521", _("Speech fluency evaluation"), False, SLP),
    ServiceCode("92522", _("Speech sound evaluation"), False, SLP),
    ServiceCode("92523", _("Speech sound and language evaluation"), False, SLP),
    ServiceCode("92524", _("Voice and resonance evaluation"), False, SLP),
    ServiceCode("92610", _("Swallowing and feeding evaluation"), False, SLP),
    ServiceCode("97161", _("PT evaluation, low complexity"), False, PT),
    ServiceCode("97162", _("PT evaluation, moderate complexity"), False, PT),
    ServiceCode("97163", _("PT evaluation, high complexity"), False, PT),
    ServiceCode("97164", _("PT re-evaluation"), False, PT),
    ServiceCode("97165", _("OT evaluation, low complexity"), False, OT),
    ServiceCode("97166", _("OT evaluation, moderate complexity"), False, OT),
    ServiceCode("97167", _("OT evaluation, high complexity"), False, OT),
    ServiceCode("97168", _("OT re-evaluation"), False, OT),
    # Speech and feeding treatment (untimed).
    ServiceCode("92507", _("Speech, language or voice treatment, one child"), False, SLP),
    ServiceCode("92508", _("Speech, language or voice treatment, group"), False, SLP),
    ServiceCode("92526", _("Swallowing and feeding treatment"), False, SLP),
    # Therapeutic procedures (timed, 15-minute units).
    ServiceCode("97110", _("Therapeutic exercise"), True, REHAB),
    ServiceCode("97112", _("Neuromuscular re-education"), True, REHAB),
    ServiceCode("97116", _("Gait training"), True, PT),
    ServiceCode("97129", _("Cognitive function intervention, first 15 minutes"), False, ANY),
    ServiceCode("97130", _("Cognitive function intervention, each further 15 minutes"), True, ANY),
    ServiceCode("97140", _("Manual therapy"), True, REHAB),
    ServiceCode("97150", _("Therapeutic procedure, group"), False, REHAB),
    ServiceCode("97530", _("Therapeutic activities"), True, REHAB),
    ServiceCode("97533", _("Sensory integration"), True, OT),
    ServiceCode("97535", _("Self-care and home management training"), True, REHAB),
    # Caregiver training without the child present.
    ServiceCode("97550", _("Caregiver training, first 30 minutes"), False, ANY),
    ServiceCode("97551", _("Caregiver training, each further 15 minutes"), True, ANY),
    ServiceCode("97552", _("Caregiver training, group of caregivers"), False, ANY),
    # Adaptive behavior (applied behavior analysis), timed 15-minute units.
    ServiceCode("97151", _("Behavior identification assessment"), True, ABA),
    ServiceCode("97152", _("Behavior identification supporting assessment"), True, ABA),
    ServiceCode("97153", _("Adaptive behavior treatment by protocol"), True, ABA),
    ServiceCode("97154", _("Group adaptive behavior treatment by protocol"), True, ABA),
    ServiceCode("97155", _("Adaptive behavior treatment with protocol change"), True, ABA),
    ServiceCode("97156", _("Family adaptive behavior treatment guidance"), True, ABA),
    ServiceCode("97157", _("Multiple-family group guidance"), True, ABA),
    ServiceCode("97158", _("Group adaptive behavior treatment with protocol change"), True, ABA),
)
BY_CODE = {c.code: c for c in CODES}

# The modifiers Tandem offers, each with its plain meaning.
MODIFIERS: dict[str, str | Promise] = {
    "GN": _("Speech-language pathology service"),
    "GO": _("Occupational therapy service"),
    "GP": _("Physical therapy service"),
    "59": _("Distinct procedural service"),
    "XU": _("Unusual non-overlapping service"),
    "95": _("By video (telehealth)"),
}
MAX_MODIFIERS = 4
# The discipline modifier each therapy discipline's codes carry.
DISCIPLINE_MODIFIER = {"slp": "GN", "ot": "GO", "pt": "GP"}


def code_for(code: str) -> ServiceCode | None:
    return BY_CODE.get((code or "").strip())


def choices() -> list[tuple[str, str]]:
    """(code, "code — label") for a form's select, in the catalogue's order."""
    return [(c.code, f"{c.code} — {c.label}") for c in CODES]
