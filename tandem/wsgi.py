"""WSGI entry point for gunicorn: `gunicorn tandem.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
application = get_wsgi_application()
