from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

_n = count(1)


@pytest.fixture(autouse=True)
def _issuer_key(settings, tmp_path):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"


@pytest.fixture
def make_course(db):
    from learnward.catalog.models import Course, Lesson, Module

    def factory(
        *,
        title="Safeguarding Adults",
        cpd_hours="3.5",
        modules=("Recognising abuse", "Reporting concerns"),
    ):
        course = Course.objects.create(
            title=title,
            slug=f"cpd-course-{next(_n)}",
            summary="A course.",
            cpd_hours=Decimal(cpd_hours),
            certificate_validity_months=12,
            published=True,
        )
        for position, name in enumerate(modules):
            module = Module.objects.create(course=course, title=name, position=position)
            Lesson.objects.create(
                module=module,
                title=f"About {name.lower()}",
                body_markdown=f"## Key signs\n\nText about {name.lower()}.",
            )
        return course

    return factory


@pytest.fixture
def complete(db):
    """A completion through learning's models and its certificate, as learning records them."""
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import Completion, Enrolment

    def factory(*, user, course, completed_at: datetime | None = None):
        completed_at = completed_at or timezone.now()
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=completed_at)
        completion = Completion.objects.create(enrolment=enrolment, completed_at=completed_at)
        return certificate_issue_for_completion(completion=completion)

    return factory


@pytest.fixture
def learner(make_user):
    return make_user(email="pat@example.org", display_name="Pat Kowalczyk")
