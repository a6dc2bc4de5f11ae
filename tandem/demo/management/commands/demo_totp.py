"""Print a user's current authenticator code, to sign in to the demo without an app.

manage.py demo_totp ot@riverside.example
"""

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Print the current 6-digit authenticator code of a user (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The email the user signs in with.")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        if not (settings.DEBUG or getattr(settings, "TESTING", False)):
            raise CommandError("demo_totp only runs in development: set DEBUG=1.")
        authenticator = Authenticator.objects.filter(
            user__email__iexact=email.strip(), type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{email} has no authenticator app set up.")
        secret = decrypt(authenticator.data["secret"])
        now = time.time()
        counter = int(now) // app_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(secret, counter)))
        seconds_left = app_settings.TOTP_PERIOD - int(now) % app_settings.TOTP_PERIOD
        self.stderr.write(f"valid for {seconds_left} more seconds")
