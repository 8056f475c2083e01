from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from learnward.accounts.roles import ADMINISTRATOR, TEACHER
from learnward.classes.models import Session
from learnward.learning.services import enrolment_create
from tests.catalog.factories import make_course


def make_session(course, *, teachers=(), starts_in=timedelta(days=2), hours=2, **fields) -> Session:
    starts_at = fields.pop("starts_at", timezone.now() + starts_in)
    fields.setdefault("title", "Evening class")
    fields.setdefault("venue", "Harbour Room")
    fields.setdefault("address", "1 Quay Street\nBristol BS1 4XX")
    fields.setdefault("capacity", 2)
    session = Session.objects.create(
        course=course, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), **fields
    )
    session.teachers.set(list(teachers))
    return session


@pytest.fixture
def course(db):
    # A classroom course: no online lessons and no assessment, so attendance decides.
    return make_course(title="First aid at work", modules=0, questions=0)


@pytest.fixture
def teacher(make_user):
    return make_user(email="tess@teachers.test", display_name="Tess Teacher", roles=[TEACHER])


@pytest.fixture
def other_teacher(make_user):
    return make_user(email="otto@teachers.test", display_name="Otto Teacher", roles=[TEACHER])


@pytest.fixture
def admin(make_user):
    return make_user(email="ada@staff.test", display_name="Ada Admin", roles=[ADMINISTRATOR])


@pytest.fixture
def session(course, teacher):
    return make_session(course, teachers=[teacher])


@pytest.fixture
def enrolled(make_user, course):
    """A factory of learners enrolled on the course."""

    def factory(name: str = "", **kwargs):
        user = make_user(**({"display_name": name} if name else {}), **kwargs)
        enrolment_create(user=user, course=course)
        return user

    return factory
