"""WSGI entry point (gunicorn itda.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itda.settings")
application = get_wsgi_application()
