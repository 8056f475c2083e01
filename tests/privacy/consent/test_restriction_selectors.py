"""Who is restricted, and which objections stand: only the open ones, only that learner's."""

from __future__ import annotations

import pytest
from django.utils import timezone

from learnward.privacy.consent.models import Objection, ProcessingRestriction
from learnward.privacy.consent.selectors import (
    active_objection_purposes,
    is_restricted,
    restricted_user_ids,
)

pytestmark = pytest.mark.django_db


def _restrict(user, *, lifted=False):
    return ProcessingRestriction.objects.create(
        user=user, requested_by="learner", lifted_at=timezone.now() if lifted else None
    )


def test_only_open_restrictions_count(make_user):
    open_twice, lifted, never = make_user(), make_user(), make_user()
    _restrict(open_twice)
    _restrict(open_twice)
    _restrict(open_twice, lifted=True)
    _restrict(lifted, lifted=True)
    assert set(restricted_user_ids()) == {open_twice.pk}
    assert is_restricted(user_id=open_twice.pk) is True
    assert is_restricted(user_id=lifted.pk) is False
    assert is_restricted(user_id=never.pk) is False


def test_active_objections_are_the_learners_own_and_not_withdrawn(make_user):
    user, other = make_user(), make_user()
    Objection.objects.create(user=user, purpose="marketing")
    Objection.objects.create(user=user, purpose="support", withdrawn_at=timezone.now())
    Objection.objects.create(user=other, purpose="evaluation")
    assert active_objection_purposes(user_id=user.pk) == {"marketing"}
    assert active_objection_purposes(user_id=other.pk) == {"evaluation"}
