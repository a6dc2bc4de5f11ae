"""Build the demo clinics: Riverside Pediatric Therapy and Lakeside Kids Therapy.

    manage.py demo_clinic           # builds them once; does nothing if they exist
    manage.py demo_clinic --reset   # deletes the two demo clinics and builds them again

Every account signs in with the demo password; staff also need the authenticator
code from ``manage.py demo_totp EMAIL`` (or an app given the demo TOTP secret).

Every child comes with months of clinical record (``tandem.demo``): an evaluation,
an active plan with GAS-scaled goals signed by a guardian, and weekly signed session
notes. Worth a look: Emma's handwriting goal has reached a plateau and Ethan's calming-
strategy goal is regressing (both flagged for review); Anaya's latest note, by the OT
assistant, awaits Priya Raman's co-signature; Jayden's latest note is still a draft;
Zoe's plan gained a goal after her IEP meeting and awaits her mother's signature;
Mateo has a note with an addendum; Anaya's family rated activities with the COPM.

``--reset`` works on SQLite (its triggers let this command purge the demo). On
PostgreSQL a trigger keeps signed notes from ever being deleted, so there the reset is
refused: start from an empty database instead.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.demo.build import build_demo_clinics, demo_exists
from tandem.demo.data.people import CLINICS, PASSWORD, TOTP_SECRET
from tandem.demo.reset import delete_demo_clinics


class Command(BaseCommand):
    help = "Build the demo clinics (once); --reset deletes and rebuilds them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo clinics and build them again."
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have a published password).",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        if not (settings.DEBUG or getattr(settings, "TESTING", False)) and not options.get(
            "allow_production"
        ):
            raise CommandError(
                "The demo accounts share a published password and authenticator secret. "
                "Run with DEBUG=1 (or pass --allow-production if you really mean it)."
            )
        if reset:
            delete_demo_clinics()
            self.stdout.write("Deleted the demo clinics.")
        elif demo_exists():
            self.stdout.write("The demo clinics already exist (use --reset to rebuild them).")
            return
        build_demo_clinics()
        self.stdout.write(self.style.SUCCESS("Built the demo clinics."))
        self.stdout.write(logins_table())


def logins_table() -> str:
    """Return the demo sign-ins, one line per account."""
    lines = [
        "",
        f"Every account's password: {PASSWORD}",
        "Staff also need an authenticator code: manage.py demo_totp EMAIL",
        f"(or add the secret {TOTP_SECRET} to an authenticator app).",
        "",
    ]
    for clinic in CLINICS:
        lines.append(clinic.name)
        for person in clinic.people:
            name = f"{person.first_name} {person.last_name}"
            lines.append(f"  {person.email:<38} {name:<18} {person.describe()}")
        for family in clinic.families:
            children = " and ".join(kid.preferred_name or kid.first_name for kid in family.kids)
            for carer in family.carers:
                name = f"{carer.first_name} {carer.last_name}"
                notes = ["uses Tandem in Spanish"] if carer.language == "es" else []
                notes += [carer.household] if carer.household else []
                what = f"guardian of {children}" + (f" ({'; '.join(notes)})" if notes else "")
                lines.append(f"  {carer.email:<38} {name:<18} {what}")
        lines.append("")
    return "\n".join(lines)
