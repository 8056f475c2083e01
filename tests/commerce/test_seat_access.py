"""Access given for a seat paid another way (an organisation's seats, staff enrolling someone):
the enrolment gate opens for it, and nothing is granted for a course that is not for sale."""

from __future__ import annotations

import pytest
from django.db import transaction

from learnward.commerce.hooks import enrolment_gate, has_access
from learnward.commerce.models import AccessGrant
from learnward.commerce.services import access_grant_for_seat
from tests.catalog.factories import make_course
from tests.commerce.factories import make_product

pytestmark = pytest.mark.django_db


def test_a_seat_opens_the_gate_of_a_paid_course(make_user):
    course = make_course(questions=0)
    make_product(courses=[course])
    user = make_user()
    assert enrolment_gate(user=user, course=course) is not None
    with transaction.atomic():
        grant = access_grant_for_seat(user=user, course=course)
    assert grant.order is None and grant.expires_at is None
    assert has_access(user=user, course=course)
    assert enrolment_gate(user=user, course=course) is None
    # Again: the same grant, not a second one.
    assert access_grant_for_seat(user=user, course=course) == grant
    assert AccessGrant.objects.count() == 1


def test_months_limit_the_access_and_a_longer_seat_extends_it(make_user):
    course = make_course(questions=0)
    make_product(courses=[course])
    user = make_user()
    short = access_grant_for_seat(user=user, course=course, months=1)
    end = short.expires_at
    assert end is not None
    longer = access_grant_for_seat(user=user, course=course, months=12)
    assert longer.pk == short.pk and longer.expires_at > end
    forever = access_grant_for_seat(user=user, course=course)
    assert forever.expires_at is None


def test_a_free_course_needs_no_grant(make_user):
    course = make_course(questions=0)
    assert access_grant_for_seat(user=make_user(), course=course) is None
    assert not AccessGrant.objects.exists()
