"""Certificates test fixtures: courses, completions through learning's models, an issuer key."""

from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal
from itertools import count

import pytest
from django.core.cache import cache
from django.utils import timezone

from learnward.certificates import counting

_slugs = count(1)


@pytest.fixture(autouse=True)
def _certificate_settings(settings, tmp_path):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.BASE_URL = "http://127.0.0.1:8000"
    settings.VERIFY_RATE_LIMIT = "1000/minute"
    cache.clear()
    counting.discard_pending()
    counting._last_flush = time.monotonic()
    yield
    cache.clear()


@pytest.fixture
def make_course(db):
    from learnward.catalog.models import Course

    def factory(*, title="Safeguarding Adults Level 2", cpd_hours="3.5", validity=12, **extra):
        n = next(_slugs)
        return Course.objects.create(
            title=title,
            slug=f"course-{n}",
            summary="A course.",
            cpd_hours=Decimal(cpd_hours),
            certificate_validity_months=validity,
            published=True,
            **extra,
        )

    return factory


@pytest.fixture
def complete(db):
    """Record a completion with learning's models and issue its certificate, as learning does."""
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import Completion, Enrolment

    def factory(*, user, course, completed_at: datetime | None = None):
        completed_at = completed_at or timezone.now()
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=completed_at)
        completion = Completion.objects.create(enrolment=enrolment, completed_at=completed_at)
        return certificate_issue_for_completion(completion=completion)

    return factory


@pytest.fixture
def certificate(make_user, make_course, complete):
    learner = make_user(email="holder@example.test", display_name="Amira Okafor")
    return complete(user=learner, course=make_course())
