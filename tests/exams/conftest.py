"""Exam fixtures: a classroom course (no online lessons, no online assessment), its learners,
two teachers and a manager, and a sitting they hold."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from learnward.learning.models import Enrolment


@pytest.fixture(autouse=True)
def _issuer(settings, tmp_path):
    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    settings.BASE_URL = "http://127.0.0.1:8000"
    settings.VERIFY_RATE_LIMIT = "1000/minute"
    cache.clear()


@pytest.fixture
def course(db):
    from tests.catalog.factories import make_course

    return make_course(
        title="First Aid at Work", modules=0, questions=0, certificate_validity_months=36
    )


@pytest.fixture
def learners(make_user, course):
    people = [
        make_user(email=f"learner{n}@example.test", display_name=f"Learner {n}") for n in (1, 2, 3)
    ]
    for person in people:
        Enrolment.objects.create(user=person, course=course, enrolled_at=timezone.now())
    return people


@pytest.fixture
def manager(make_user):
    return make_user(email="exams-admin@example.test", roles=["Administrator"])


@pytest.fixture
def teacher(make_user):
    return make_user(email="teacher@example.test", display_name="Tess Teacher")


@pytest.fixture
def moderator(make_user):
    return make_user(email="moderator@example.test", display_name="Mo Derator")


@pytest.fixture
def sitting(manager, course, teacher, learners):
    from learnward.exams.services import exam_sitting_create

    return exam_sitting_create(
        actor=manager,
        course=course,
        title="Practical exam",
        held_on=date(2026, 3, 14),
        max_marks=100,
        pass_marks=60,
        teachers=[teacher],
    )
