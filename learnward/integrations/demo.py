"""Demo data for integrations: one API token (its text is not known to anyone: the demo lists
it, it cannot be used) and one webhook subscription to the documentation's example address,
disabled so nothing is sent. xAPI stays off.

Idempotent: nothing is added once the demo token exists. Written directly (no audit entries).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone

from learnward.accounts.models import User

from . import signing
from .models import ApiToken, Scope, WebhookEvent, WebhookSubscription
from .services import token_hash

TOKEN_NAME = "Demo HR system"  # noqa: S105 - a name, not a secret
WEBHOOK_URL = "https://hr.example.com/learnward/webhooks"


def load(result: dict) -> None:
    admin = User.objects.filter(email="admin@learnward.test").first()
    now = timezone.now()
    token = ApiToken.objects.filter(name=TOKEN_NAME).first()
    if token is None:
        token = ApiToken.objects.create(
            name=TOKEN_NAME,
            prefix=secrets.token_hex(5),
            secret_hash=token_hash(secrets.token_urlsafe(32)),
            scopes=[Scope.READ_COURSES, Scope.READ_RECORDS],
            created_by=admin,
            created_at=now,
            expires_at=now + timedelta(days=90),
        )
    if not WebhookSubscription.objects.filter(url=WEBHOOK_URL).exists():
        WebhookSubscription.objects.create(
            name="Demo HR system",
            url=WEBHOOK_URL,
            events=[WebhookEvent.COURSE_COMPLETED, WebhookEvent.CERTIFICATE_ISSUED],
            secret=signing.new_secret(),
            active=False,
            disabled_at=now,
            disabled_reason="Demo: points at the documentation's example address.",
            created_by=admin,
            created_at=now,
        )
    result["integrations"] = {
        "api_token": f"{token.name} (lw_{token.prefix}_…, not usable: create your own)",
        "webhook": WEBHOOK_URL + " (disabled)",
        "staff_page": "/staff/integrations/",
    }
