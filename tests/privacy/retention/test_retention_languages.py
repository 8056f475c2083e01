"""The retention warning is written in the learner's saved language, though a periodic job sends it."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.cache import cache

from learnward.accounts.models import User
from learnward.privacy.retention import services as retention

from .retention_support import aware

pytestmark = pytest.mark.django_db


DEACTIVATED = aware(2030, 1, 10, 9, 0)


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.BASE_URL = "http://testserver"
    cache.clear()


@pytest.mark.parametrize(
    ("language", "subject", "sentence", "path"),
    [
        (
            "nl",
            "Uw account bij {provider} wordt binnenkort verwijderd",
            "het uwe wordt op of na 15 januari 2031 verwijderd.",
            "/nl/privacy/account/keep/",
        ),
        (
            "fr",
            "Votre compte {provider} sera bientôt supprimé",
            "le vôtre doit être supprimé le 15 janvier 2031 ou après cette date.",
            "/fr/privacy/account/keep/",
        ),
    ],
)
def test_the_warning_is_in_the_learners_language(
    make_user, smtp_server, settings, language, subject, sentence, path
):
    learner = make_user(email="kim@example.test", language=language)
    User.objects.filter(pk=learner.pk).update(status="deactivated", deactivated_at=DEACTIVATED)
    with time_machine.travel(DEACTIVATED + timedelta(days=340), tick=False):
        retention.retention_run()
    [email] = smtp_server.to("kim@example.test")
    assert email.subject.strip() == subject.format(provider=settings.PROVIDER_NAME)
    assert sentence in email.text
    assert "deactivated since" not in email.text
    assert any(urlsplit(link).path == path for link in email.links())
