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


def test_objecting_user_ids_are_the_standing_objections_to_that_purpose(make_user):
    from learnward.privacy.consent.selectors import objecting_user_ids

    standing, withdrawn, other_purpose = make_user(), make_user(), make_user()
    Objection.objects.create(user=standing, purpose="evaluation", reason="x")
    Objection.objects.create(user=standing, purpose="evaluation", reason="again")
    Objection.objects.create(
        user=withdrawn, purpose="evaluation", reason="x", withdrawn_at=timezone.now()
    )
    Objection.objects.create(user=other_purpose, purpose="support", reason="x")
    assert list(objecting_user_ids(purpose="evaluation")) == [standing.pk]


def test_without_blocked_applies_the_gate_to_many_people_in_one_query(make_user):
    from learnward.accounts.models import User
    from learnward.privacy.consent.gate import without_blocked

    fine, restricted, objecting, objected_elsewhere = (make_user() for _ in range(4))
    _restrict(restricted)
    Objection.objects.create(user=objecting, purpose="evaluation", reason="x")
    Objection.objects.create(user=objected_elsewhere, purpose="support", reason="x")
    people = User.objects.filter(
        pk__in=[fine.pk, restricted.pk, objecting.pk, objected_elsewhere.pk]
    )
    # Evaluations stop on an objection and while restricted.
    kept = without_blocked(people, purpose="evaluation", user_field="pk")
    assert set(kept.values_list("pk", flat=True)) == {fine.pk, objected_elsewhere.pk}
    # Certification goes on while restricted, and an objection to it is reviewed, not obeyed.
    Objection.objects.create(user=fine, purpose="certification", reason="x")
    kept = without_blocked(people, purpose="certification", user_field="pk")
    assert set(kept.values_list("pk", flat=True)) == {
        fine.pk,
        restricted.pk,
        objecting.pk,
        objected_elsewhere.pk,
    }
    with pytest.raises(ValueError, match="person by person"):
        without_blocked(people, purpose="marketing", user_field="pk")


def test_without_blocked_refuses_consent_alone_and_minors_alone(make_user, monkeypatch):
    """Either flag on its own sends the caller to the person-by-person gate: research needs
    consent but is open to under-18s, and a profiling purpose on legitimate interests needs no
    consent but is barred to under-18s."""
    from learnward.accounts.models import User
    from learnward.privacy.consent.gate import without_blocked
    from learnward.privacy.registry.purposes import PURPOSES, LawfulBasis, Purpose

    people = User.objects.filter(pk=make_user().pk)
    research = PURPOSES["research"]
    assert research.basis == LawfulBasis.CONSENT and not research.blocked_for_minors
    with pytest.raises(ValueError, match="'research' is decided person by person"):
        without_blocked(people, purpose="research", user_field="pk")

    profiling = Purpose(
        "test_profiling",
        "Profiling on legitimate interests",
        LawfulBasis.LEGITIMATE_INTERESTS,
        "A test purpose.",
        legitimate_interest="Testing.",
        profiling=True,
    )
    monkeypatch.setitem(PURPOSES, profiling.key, profiling)
    assert profiling.blocked_for_minors and profiling.basis != LawfulBasis.CONSENT
    with pytest.raises(ValueError, match="'test_profiling' is decided person by person"):
        without_blocked(people, purpose="test_profiling", user_field="pk")
