"""The baseline for bench/serve.py: Django with one JSON view, no middleware, no apps.

gunicorn serves ``bench.bare_app:application`` with the same worker count as ``learnward serve``,
so the ratio of an endpoint's requests per second to this view's, measured in adjacent rounds,
says what Learnward's stack costs on top of Django's own request cycle on the same machine load.
The answer has the fields of the verification API's answer, with fixed values and no database.
"""

from __future__ import annotations

import secrets

import django
from django.conf import settings
from django.http import JsonResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(64),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
    LOGGING_CONFIG=None,
)
django.setup()

RECORD = {
    "code": "7KQ4-M2XD-9TRB-F",
    "status": "valid",
    "holder_name": "Ada Lovelace",
    "course_title": "Safeguarding essentials",
    "cpd_hours": 3.5,
    "awarded_on": "2026-01-01",
    "expires_on": "2028-01-01",
}


def bare(request):
    return JsonResponse(RECORD)


urlpatterns = [path("bare", bare)]

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after settings.configure

application = get_wsgi_application()
