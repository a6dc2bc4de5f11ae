"""Writing the stored-XSS corpus through the clinic's own forms: the schedule, groups, the
resource library, billing (a payer's 835 file too), the public referral form and its
triage, people and API tokens, child mode, a family's answer to a session reminder, and
breaking the glass (the reason, and the names of a search that found nobody).

Part of ``test_xss_writes.write_everything``; the helpers here serve both modules.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.appointments import reminders
from tandem.appointments.models import Appointment, AppointmentStatus
from tandem.billing.models import Payer, Policy
from tandem.billing.tests.claims_helpers import PAYER_CONTACT
from tandem.billing.x12.elements import Envelope
from tandem.billing.x12.remit835 import Adjustment as Adjustment835
from tandem.billing.x12.remit835 import ClaimPayment, build_835
from tandem.billing.x12.remit835 import Remittance as Remittance835
from tandem.children.models import Child
from tandem.conftest import World
from tandem.core.testing.factories import clinic_today
from tandem.core.testing.types import Response
from tandem.intake.links import token_for
from tandem.intake.models import Referral
from tandem.resources.models import Resource

from .test_xss_corpus import PAYLOADS, Corpus, fill_and_post, parse

ClientFor = Callable[..., Client]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
# A file's name is free text too (without "/" or "&", which the upload parser takes apart).
FILE_PAYLOAD = '"><img src=x data-xss onerror=alert(1)>'


def named_pdf(corpus: Corpus) -> tuple[str, SimpleUploadedFile]:
    """A PDF whose name is a payload; its tag."""
    tag = corpus.new_tag()
    name = f"{tag} {FILE_PAYLOAD}.pdf"
    return tag, SimpleUploadedFile(name, PDF, content_type="application/pdf")


def id_in(response: Response) -> str:
    """The last id in the address a post redirected to."""
    found = UUID.findall(response["Location"])
    assert found, response["Location"]
    return found[-1]


def post_form(client: Client, page: str, action: str, data: dict[str, str]) -> Response:
    """Post a form of ``page`` with its hidden fields (version, CSRF) and ``data``."""
    root = parse(client.get(page).content.decode())
    forms = [f for f in root.iter("form") if f.get("action") == action]
    assert forms, f"no form posting to {action} on {page}"
    fields = {i.get("name"): i.get("value", "") for i in forms[0].iter("input") if i.get("name")}
    response = client.post(action, {**fields, **data})
    assert response.status_code in (200, 302), response.status_code
    return response


def _appointments(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya, desk = world.child, client(world.front_desk)
    soon = clinic_today() + datetime.timedelta(days=2)
    for hour in ("10:00", "11:00"):
        fill_and_post(
            desk,
            corpus,
            "appointment",
            reverse("appointments:new", args=[maya.id]),
            data={"therapist": str(world.therapist.pk), "date": soon.isoformat(), "time": hour},
        )
    later = Appointment.objects.filter(child=maya).order_by("encounter__starts_at").last()
    assert later is not None
    fill_and_post(
        desk,
        corpus,
        "appointment cancelled",
        reverse("appointments:child", args=[maya.id]),
        action=reverse("appointments:status", args=[maya.id, later.id]),
        data={"status": "cancelled"},
    )
    admin = client(world.admin)
    rooms = reverse("appointments:rooms")
    fill_and_post(admin, corpus, "room", rooms, form_has="name", data={"action": "add_room"})
    hours = reverse("appointments:hours") + f"?therapist={world.therapist.pk}"
    fill_and_post(
        admin,
        corpus,
        "time off",
        hours,
        form_has="reason",
        data={
            "from_date": soon.isoformat(),
            "from_time": "13:00",
            "until_date": soon.isoformat(),
            "until_time": "14:00",
        },
    )


def _groups(corpus: Corpus, world: World, client: ClientFor) -> None:
    fill_and_post(
        client(world.therapist),
        corpus,
        "group",
        reverse("groups:new"),
        data={
            "target_domains": ["fine_motor"],
            "min_age_years": "2",
            "max_age_years": "9",
            "leader": str(world.therapist.pk),
            "first_day": (clinic_today() + datetime.timedelta(days=7)).isoformat(),
            "start_time": "15:00",
        },
    )


def _resources(corpus: Corpus, world: World, client: ClientFor) -> None:
    admin = client(world.admin)
    edit = reverse("resources:edit")
    fill_and_post(admin, corpus, "resource (text)", edit, data={"kind": "text", "url": ""})
    fill_and_post(admin, corpus, "resource (video)", edit, data={"kind": "video", "body": ""})
    tag, handout = named_pdf(corpus)
    fill_and_post(
        admin,
        corpus,
        "resource (handout)",
        edit,
        data={"kind": "handout", "body": "", "url": "", "upload": handout},
    )
    corpus.note("resource (handout)", "file name", str(handout.name), tag=tag)
    fill_and_post(
        admin,
        corpus,
        "workshop",
        reverse("resources:workshop_edit"),
        data={"starts_at": f"{clinic_today() + datetime.timedelta(days=9)}T18:00"},
    )
    text = Resource.objects.filter(organization=world.org, kind="text").get()
    fill_and_post(
        client(world.therapist),
        corpus,
        "resource shared",
        reverse("resources:child", args=[world.child.id]),
        action=reverse("resources:share", args=[world.child.id]),
        data={"resource": str(text.id)},
    )


NPI = "1234567893"  # the check digit is right (the Luhn rule of NPIs)


def _billing(corpus: Corpus, world: World, client: ClientFor) -> None:
    maya, biller = world.child, client(world.billing)
    profile = reverse("billing:profile")
    fill_and_post(
        biller,
        corpus,
        "billing profile",
        profile,
        form_has="legal_name",
        data={
            "npi": NPI,
            "tax_id": "12-3456789",
            "taxonomy": "251S00000X",
            "state": "OR",
            "postal_code": "97201",
            "phone": "503 555 0100",
        },
    )
    fill_and_post(
        biller,
        corpus,
        "billing provider",
        profile,
        form_has="credentials",
        data={"membership": str(world.therapist.pk), "npi": NPI, "taxonomy": "225X00000X"},
    )
    fill_and_post(biller, corpus, "payer", reverse("billing:payers"), data={"payer_id": "60054"})
    payer = Payer.objects.get(organization=world.org)
    fill_and_post(
        biller,
        corpus,
        "insurance policy",
        reverse("billing:policy_new", args=[maya.id]),
        data={"payer": str(payer.id), "state": "OR", "postal_code": "97201"},
    )
    policy = Policy.objects.get(child=maya)
    fill_and_post(
        biller,
        corpus,
        "authorization",
        reverse("billing:authorization_new", args=[maya.id]),
        data={"policy": str(policy.id), "codes": ["97530"], "allowed": "12"},
    )
    account = reverse("billing:child", args=[maya.id])
    fill_and_post(
        biller,
        corpus,
        "payment",
        account,
        action=reverse("billing:payment", args=[maya.id]),
        data={"amount": "12.50"},
    )
    fill_and_post(
        biller,
        corpus,
        "household",
        reverse("billing:household", args=[maya.id]),
        data={"funding": "grant", "household_size": "4", "annual_income": "40000"},
    )


def _intake(corpus: Corpus, world: World, client: ClientFor) -> None:
    """A family refers two children through the public form; the front desk asks, the
    family answers, the front desk puts one on the waitlist and declines the other."""
    born = clinic_today() - datetime.timedelta(days=3 * 365)
    public = Client()
    refer = reverse("intake:refer", args=[world.org.id])
    for _child in range(2):
        fill_and_post(
            public,
            corpus,
            "referral (public form)",
            refer,
            leave={"website"},  # the honeypot: a robot fills it
            data={
                "date_of_birth": born.isoformat(),
                "concerns": ["communication"],
                "contact_phone": "555 0100",
            },
            ok=(200,),
        )
    desk = client(world.front_desk)
    first, second = Referral.objects.filter(organization=world.org).order_by("created_at")
    detail = reverse("intake:detail", args=[first.id])
    fill_and_post(desk, corpus, "referral question", detail, form_has="question")
    status = reverse("intake:status", args=[token_for(world.org.pk, first.pk)])
    fill_and_post(public, corpus, "referral answer", status, data={"action": "answer"})
    fill_and_post(desk, corpus, "referral triage", detail, form_has="note")
    detail = reverse("intake:detail", args=[second.id])
    fill_and_post(desk, corpus, "referral declined", detail, form_has="reason")


def _people(corpus: Corpus, world: World, client: ClientFor) -> None:
    admin = client(world.admin)
    fill_and_post(
        admin,
        corpus,
        "invitation",
        reverse("accounts:invite"),
        data={"role": "collaborator", "language": "en"},
    )
    fill_and_post(
        admin,
        corpus,
        "membership",
        reverse("accounts:person", args=[world.consented_collaborator.pk]),
    )
    tokens = reverse("accounts:tokens")
    # Its FHIR scopes are refused unless each is a SMART scope (test_token_scopes.py):
    # left blank, the token takes its role's.
    fill_and_post(
        client(world.therapist), corpus, "API token", tokens, leave={"fhir_scopes"}, ok=(200,)
    )
    fill_and_post(
        admin,
        corpus,
        "goal bank entry",
        reverse("plans:goal_bank_entry"),
        data={"mastery_value": "80", "measurement_type": "frequency"},
    )


def _child_mode(corpus: Corpus, world: World, client: ClientFor) -> None:
    """The child picks the home activity (its title is a payload) on their board."""
    tablet = client(world.guardian)
    response = tablet.post(reverse("childmode:enter"), {"child": str(world.child.id)})
    assert response.status_code == 302
    board = reverse("childmode:home")
    choose = reverse("childmode:choose")
    post_form(tablet, board, choose, {})
    corpus.ids["child mode"] = tablet


def _reply_and_remittance(corpus: Corpus, world: World, client: ClientFor) -> None:
    """A family cancels a session from its reminder's link, giving a reason; the billing
    office imports a payer's remittance (835) whose names and numbers are payloads."""
    maya = world.child
    # Still scheduled: at night, today's session is "coming" too and another surface may
    # already have started its note.
    coming = Appointment.objects.filter(
        child=maya,
        encounter__starts_at__gt=timezone.now() + datetime.timedelta(hours=1),
        status=AppointmentStatus.SCHEDULED,
    )
    first = coming.order_by("encounter__starts_at").first()
    assert first is not None
    reply = reminders.reply_link(first, world.guardian.pk)
    fill_and_post(Client(), corpus, "reminder reply", reply, form_has="reason")
    # Built with placeholders, which then become payloads: a payer's file is not ours to
    # trust (without X12's separators; within its element lengths).
    plain = [p for p in PAYLOADS if not set("*~:^|") & set(p) and len(p) <= 45]
    names = ("payer", "trace", "claim", "last", "first")
    values = {
        name: f"{corpus.new_tag()} {payload}"
        for name, payload in zip(names, plain[:5], strict=True)
    }
    values["claim"] = values["claim"][:38]
    values["first"] = values["first"][:35]
    kept = ("payer", "trace", "claim")  # the patient's names are matched, not stored
    payment = ClaimPayment(
        patient_control_number="CLAIMPH",
        status_code="4",
        charge=Decimal("100.00"),
        paid=Decimal("0"),
        patient_responsibility=Decimal("0"),
        payer_claim_number="PCN-1",
        patient_last_name="LASTPH",
        patient_first_name="FIRSTPH",
        member_id="M1",
        adjustments=(Adjustment835("CO", "50", Decimal("100.00")),),
    )
    remittance = Remittance835(
        payer_name="PAYERPH",
        payer_id="BMH01",
        payee_name="RIVERSIDE PEDIATRIC THERAPY",
        payee_npi=NPI,
        trace_number="TRACEPH",
        payment_date=clinic_today(),
        total_paid=Decimal("0"),
        claims=(payment,),
    )
    at = datetime.datetime.combine(clinic_today(), datetime.time(8), tzinfo=datetime.UTC)
    text = build_835(remittance, PAYER_CONTACT, Envelope(9, 9, at, "BMH01", "123456789"))
    for name, value in values.items():
        text = text.replace(f"{name.upper()}PH", value)
    upload = SimpleUploadedFile("era.835", text.encode())
    response = client(world.billing).post(reverse("billing:remittances"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    for name in kept:
        corpus.note("remittance (835 file)", name, values[name], tag=values[name].split()[0])


def _break_glass(corpus: Corpus, world: World, client: ClientFor) -> None:
    """A therapist off Eli's team opens his record with a reason full of payloads (the
    banner, the review queue and page, the alerts show it); a search that finds nobody keeps
    the names typed (the admins' list of such searches shows them)."""
    holder, page = client(world.unassigned_therapist), reverse("breakglass:open")
    eli = Child.objects.get(pk=world.sibling.pk)  # as the forms before left him
    found = {"first_name": eli.first_name, "last_name": eli.last_name}
    born = {"date_of_birth": eli.date_of_birth.isoformat()}
    fill_and_post(holder, corpus, "emergency access", page, data=found | born)
    nobody = born | {"reason": "The family called about a seizure during home practice."}
    fill_and_post(holder, corpus, "emergency search", page, data=nobody, ok=(200,))


CLINIC_SURFACES = [
    _appointments,
    _groups,
    _resources,
    _billing,
    _intake,
    _people,
    _child_mode,
    _reply_and_remittance,
    _break_glass,
]
