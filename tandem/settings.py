"""Tandem settings, read from environment variables with safe defaults.

Every setting a clinic's IT person may change is listed in docs/deployment.md.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TANDEM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable."""
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG")
TESTING = env_bool("TANDEM_TESTING")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "tandem.core",
    "tandem.accounts",
    "tandem.children",
    "tandem.audit",
    "tandem.exports",
    "tandem.assessments",
    "tandem.plans",
    "tandem.schoolplans",
    "tandem.notes",
    "tandem.progress",
    "tandem.appointments",
    "tandem.homeprogram",
    "tandem.messaging",
    "tandem.notifications",
    "tandem.consent",
    # Break-glass grants, read by the access kernel (below it, like consent).
    "tandem.emergency",
    "tandem.collaborators",
    "tandem.childmode",
    # The family's and the child's own goal ratings: above plans and progress.
    "tandem.ratings",
    "tandem.resources",
    # Referrals and the waitlist: above children, accounts and appointments, which it writes.
    "tandem.intake",
    # Caseload imports (CSV, FHIR Bundle): above children, accounts and intake's actions.
    "tandem.imports",
    "tandem.groups",
    # Fees, charges, claims: above notes, appointments and children, whose records it prices.
    "tandem.billing",
    # Above the apps whose records it gathers: the therapist's day and the clinic's numbers.
    "tandem.today",
    # One story of a child's care, read through the scopes of the apps it gathers.
    "tandem.timeline",
    # Emergency access pages, alerts and review: above audit and notifications.
    "tandem.breakglass",
    "tandem.api",
    # The FHIR R4 read and search API, over every app's readers.
    "tandem.fhir",
    # FHIR Bulk Data $export: the FHIR API's readers, written to files by the worker.
    "tandem.bulkdata",
    # A family's full record (their right of access): above every app whose record it packs.
    "tandem.records",
    # Backups and restores, and the full-record digest that reads every app's tables.
    "tandem.backups",
    # The installable app: service worker, manifest, the offline queue's script.
    "tandem.offline",
    # Made-up clinics, above every app: the bench generator and the demo.
    "tandem.bench",
    "tandem.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's UserSessionsMiddleware, writing at most once a minute.
    "tandem.accounts.middleware.UserSessionActivityMiddleware",
    "tandem.accounts.middleware.MembershipMiddleware",
    "tandem.access.middleware.VisibleIdsOncePerRequestMiddleware",
    "tandem.audit.middleware.RefusedAccessMiddleware",  # 404/403 on a child's URL: logged
    "tandem.accounts.middleware.SessionLifetimeMiddleware",
    "tandem.accounts.middleware.StaffMfaRequiredMiddleware",
    # While a device is in child mode, only child mode's pages answer.
    "tandem.childmode.middleware.ChildModeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.access.context.membership",
            ],
            # {% load access %}: {% allows "notes.sign" obj=note as can_sign %} (the kernel).
            "libraries": {"access": "tandem.access.templatetags.access"},
        },
    },
]

# SQLite under var/ by default; DATABASE_URL (postgres://…) in production.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the worker read while the other writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif TESTING:
    # Tests never need a commit to survive a crash of the machine: not waiting for the
    # disk on each commit makes the suite's many transactions (live servers, flushes) faster.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
# Behind PgBouncer in transaction pooling mode a server-side cursor (QuerySet.iterator())
# would outlive the transaction it was opened in: set this (docs/scaling.md).
if env_bool("TANDEM_DISABLE_SERVER_SIDE_CURSORS"):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# A streaming replica for reports and exports (tandem/core/dbrouters.py): only code inside
# reading_from_replica() reads from it; every other read and every write go to default.
TANDEM_REPLICA_DATABASE_URL = os.environ.get("TANDEM_REPLICA_DATABASE_URL", "")
if TANDEM_REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(TANDEM_REPLICA_DATABASE_URL, conn_max_age=60)
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"].get(
        "DISABLE_SERVER_SIDE_CURSORS", False
    )
    # Tests read the replica as the test database itself (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tandem.core.dbrouters.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["tandem.accounts.backends.MemberBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email sign-in, no open sign-up (people are invited).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "tandem.accounts.adapter.TandemAccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# --- Sign-in that holds up: shared cache, the proxy's address, rate limits -------------
# Rate limits and used one-time codes live in the cache, so every web worker must share
# it: the database by default (its table is made by a migration), Redis with REDIS_URL
# (needs the `redis` package). A per-process memory cache would let each worker count
# on its own. See docs/security.md ("Rate limits") and docs/deployment.md.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tandem_cache",
            # Culling drops entries when full; keep room so counters are not dropped.
            "OPTIONS": {"MAX_ENTRIES": env_int("TANDEM_CACHE_MAX_ENTRIES", 100_000)},
        }
    }
# The progress of long work (an import's rows written) is read by its page while the
# worker's transaction is still open: never the database cache, whose writes would land
# only with that transaction. Redis where there is one; else files under var/ (one machine:
# the web server and the worker share the directory).
CACHES["progress"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "progress"),
    }
)
# `make bench` (tandem/bench/run.py) serves the floor endpoint /bench/floor; never in production.
TANDEM_BENCH = env_bool("TANDEM_BENCH")
# How many reverse proxies in front of Tandem append to X-Forwarded-For (nginx as in
# docs/deployment.md: 1). 0 (the default) ignores the header: it can be forged.
TANDEM_TRUSTED_PROXIES = env_int("TANDEM_TRUSTED_PROXIES", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TANDEM_TRUSTED_PROXIES
# Or a header the proxy sets to the client's address (e.g. X-Real-IP, CF-Connecting-IP).
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TANDEM_CLIENT_IP_HEADER") or None
# Failed sign-ins: 5 per 5 minutes per (account, address) and 20 per 5 minutes per
# address. An account also takes at most TANDEM_LOGIN_ACCOUNT_LIMIT failures from
# browsers it has never signed in on (a signed device cookie marks the ones it has), so
# strangers cannot lock a family out of their own phone (tandem/accounts/adapter.py).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "5/m/ip,5/5m/key",
}
TANDEM_LOGIN_ACCOUNT_LIMIT = os.environ.get("TANDEM_LOGIN_ACCOUNT_LIMIT", "30/1h/key")
TANDEM_DEVICE_COOKIE_DAYS = env_int("TANDEM_DEVICE_COOKIE_DAYS", 90)
# Personal API tokens expire after this many days unless their maker picks fewer.
TANDEM_API_TOKEN_DAYS = env_int("TANDEM_API_TOKEN_DAYS", 90)
# --- end of sign-in block ---------------------------------------------------------------
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tandem"
USERSESSIONS_TRACK_ACTIVITY = True

# Sessions live in the database so signing out (or an admin) ends them server-side.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("STAFF_SESSION_IDLE_MINUTES", 30))
STAFF_SESSION_MAX_AGE = timedelta(hours=env_int("STAFF_SESSION_MAX_HOURS", 12))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Español"))]
LOCALE_PATHS = [BASE_DIR / "tandem" / "locale"]
# Named date formats per language ("martes 8 de diciembre"): tandem/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = "tandem.formats"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]
# Uploaded files (photos, handouts) are never served by the web server directly:
# they are read through views that go through the access layer.
MEDIA_ROOT = Path(os.environ.get("TANDEM_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Several machines: media in an S3-compatible bucket (django-storages). Credentials come
# from boto3's usual places (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an instance role).
# Objects stay private: Tandem reads each file and serves it itself after its access
# checks (core/files.py); it never hands out the bucket's address. No ACL is sent unless
# asked: buckets with ACLs disabled (AWS's default) refuse any other than the owner's.
TANDEM_MEDIA_S3_BUCKET = os.environ.get("TANDEM_MEDIA_S3_BUCKET", "")
if TANDEM_MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": TANDEM_MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("TANDEM_MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TANDEM_MEDIA_S3_REGION") or None,
            "location": os.environ.get("TANDEM_MEDIA_S3_PREFIX", ""),
            "default_acl": os.environ.get("TANDEM_MEDIA_S3_ACL") or None,
            # Names are random already; never replace a stored file by another's upload.
            "file_overwrite": False,
            # A URL, if anything ever asked for one, is signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": 60,
            # A file being served is held in memory up to 2 MB, then in a temporary file.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CHILD_PHOTO_MAX_BYTES = 2 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Text messages (session reminders to families who asked for texts): a class with
# send(to, body); the console backend prints them (tandem/notifications/sms.py).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "tandem.notifications.sms.ConsoleBackend")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tandem <no-reply@tandem.invalid>")

# --- Hardening (issue 8): the task queue, email, headers --------------------------------
# A mail server that stops answering must not hold the worker (and so the queue) for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 30)
# A task RUNNING longer than this is taken to have lost its worker and goes back in the
# queue (`manage.py task_upkeep`); it must be well above the longest task (an email is
# bounded by EMAIL_TIMEOUT). After TASK_MAX_ATTEMPTS lost workers it is marked failed.
TASK_STALE_AFTER = timedelta(minutes=env_int("TASK_STALE_AFTER_MINUTES", 15))
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
# Finished task rows (ids and return values only) are deleted after this many days.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 7)

# Content-Security-Policy (django-csp): scripts and styles only from this site's static
# files, no inline script, no framing, no plugins, forms post only here. style-src keeps
# 'unsafe-inline' because templates use style="" attributes (layout, SVG charts) and
# htmx adds its indicator style; no script can run from an attribute or inline block.
# img-src allows data: for the API docs' (Swagger UI) icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
# Pages, API answers, PDFs and files carry `Cache-Control: no-store`; static files, which
# WhiteNoise answers before the middleware below it, stay cacheable.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "tandem.core.middleware.NoStoreMiddleware",
)
# A query string with a NUL character is refused (400) before any view reads it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("tandem.core.middleware.NoStoreMiddleware") + 1,
    "tandem.core.middleware.RefuseNulMiddleware",
)
# Compression sits outside everything that writes the body (after WhiteNoise, whose
# static files are compressed ahead of time).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "tandem.core.middleware.CompressionMiddleware",
)
# django-ninja as an app: the API docs page uses the Swagger UI files it ships (served
# from /static/ninja/), not a CDN.
INSTALLED_APPS.append("ninja")
# --- end of hardening block -------------------------------------------------------------

# Notifications: each person may change these defaults (in the clinic's time zone, HH:MM).
NOTIFICATION_QUIET_START = os.environ.get("NOTIFICATION_QUIET_START", "21:00")
NOTIFICATION_QUIET_END = os.environ.get("NOTIFICATION_QUIET_END", "07:30")
PRACTICE_REMINDER_DEFAULT_TIME = os.environ.get("PRACTICE_REMINDER_DEFAULT_TIME", "18:00")
# How long a break-glass (emergency) access to a child's record lasts, in hours.
TANDEM_EMERGENCY_ACCESS_HOURS = env_int("TANDEM_EMERGENCY_ACCESS_HOURS", 4)
# Message attachments (PNG, JPEG or PDF, checked by content).
MESSAGE_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024

# Production hardening; `manage.py check --deploy` passes with DEBUG off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = not (DEBUG or TESTING)
CSRF_COOKIE_SECURE = not (DEBUG or TESTING)
# No script reads the CSRF cookie: htmx and the API docs take the token from the page.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports each step of every PDF at INFO; its warnings still show.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50
