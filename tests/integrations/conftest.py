"""Integrations test fixtures: an administrator, API tokens, a course, a loopback webhook
consumer and a loopback LRS."""

from __future__ import annotations

import pytest

from tests.fakes.lrs import FakeLRS
from tests.fakes.webhook_receiver import WebhookReceiver


@pytest.fixture(autouse=True)
def _integration_settings(settings, tmp_path):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.BASE_URL = "http://127.0.0.1:8000"
    settings.INTEGRATIONS_ALLOW_LOOPBACK = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5


@pytest.fixture
def admin(make_user):
    from learnward.accounts.roles import ADMINISTRATOR

    return make_user(email="admin@example.test", roles=[ADMINISTRATOR])


@pytest.fixture
def make_token(admin):
    """A live token with ``scopes``; returns (row, full text)."""
    from learnward.integrations.models import Scope
    from learnward.integrations.services import api_token_create

    def factory(*scopes: Scope, days: int = 30, name: str = "HR system"):
        return api_token_create(
            actor=admin, name=name, scopes=[s.value for s in scopes], expires_in_days=days
        )

    return factory


@pytest.fixture
def course(db):
    from tests.catalog.factories import make_course

    return make_course(title="Manual handling", slug="manual-handling", questions=0)


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lrs(settings):
    server = FakeLRS().start()
    settings.XAPI_LRS_ENDPOINT = server.endpoint
    settings.XAPI_LRS_KEY = server.key
    settings.XAPI_LRS_SECRET = server.secret
    settings.XAPI_ACTOR_HOMEPAGE = "https://training.example.test"
    settings.XAPI_ACTOR_KEY = "a-test-key-for-actor-names"
    try:
        yield server
    finally:
        server.stop()


def bearer(text: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {text}"}
