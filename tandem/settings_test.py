"""Settings for the test suite: the normal settings with test-friendly defaults."""

import os

os.environ.setdefault("TANDEM_TESTING", "1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Playwright's sync API runs an event loop in the test thread; Django's ORM is
# used synchronously beside it in browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tandem.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

SMS_BACKEND = "tandem.notifications.sms.MemoryBackend"
