"""Helpers for the compliance matrix and digest tests: organisations, members, requirements,
certificates and progress made directly (the organisation services are written elsewhere).
The clock is noon on 15 June 2025 in London for every test that uses ``clock``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from learnward.certificates.services import certificate_issue
from learnward.learning.services import enrolment_create, lesson_mark_complete
from learnward.organisations.models import Membership, Organisation, RequiredCourse
from tests.catalog.factories import lessons_of
from tests.catalog.factories import make_course as _make_course

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 6, 15, 12, 0, tzinfo=LONDON)
TODAY = date(2025, 6, 15)


@pytest.fixture
def clock(settings, time_machine):
    settings.TIME_ZONE = "Europe/London"
    time_machine.move_to(NOW, tick=False)
    return time_machine


def make_course(title: str, **fields):
    fields.setdefault("modules", 2)
    fields.setdefault("lessons_per_module", 2)
    fields.setdefault("questions", 0)
    return _make_course(title=title, **fields)


def make_org(name: str = "Oak Care Home", slug: str | None = None) -> Organisation:
    return Organisation.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def add_member(
    organisation,
    user,
    *,
    department: str = "",
    manager: bool = False,
    joined_days_ago: int = 10,
    shares: bool = False,
    **extra,
) -> Membership:
    return Membership.objects.create(
        organisation=organisation,
        user=user,
        role=Membership.Role.MANAGER if manager else Membership.Role.MEMBER,
        department=department,
        joined_at=timezone.now() - timedelta(days=joined_days_ago),
        shares_all_courses=shares,
        **extra,
    )


def require(organisation, course, *, department: str = "", renewal_months=None):
    return RequiredCourse.objects.create(
        organisation=organisation,
        course=course,
        department=department,
        renewal_months=renewal_months,
    )


def certify(user, course, *, awarded_on: date, expires_on: date | None = None):
    return certificate_issue(
        user=user,
        holder_name=user.display_name,
        course_title=course.title,
        cpd_hours="2",
        awarded_on=awarded_on,
        expires_on=expires_on,
        course=course,
    )


def progress(user, course, lessons: int):
    """Enrol ``user`` and complete the first ``lessons`` lessons (all of them completes the
    course and issues its certificate, as the site does)."""
    enrolment_create(user=user, course=course)
    for lesson in lessons_of(course)[:lessons]:
        lesson_mark_complete(user=user, lesson=lesson)


def staff_manager(make_user):
    """Staff who may manage organisations (no two-factor device: allowed on a test site)."""
    from django.contrib.auth.models import Permission

    user = make_user(email="staff@example.test", display_name="Staff Person", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="manage_organisations"))
    return type(user).objects.get(pk=user.pk)
