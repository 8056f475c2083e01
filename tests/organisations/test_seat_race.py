"""Two managers racing for a pool's last seat get one success (the pool's row lock), on SQLite
and PostgreSQL; a CSV sending racing a single invitation for the last seat sends nothing."""

from __future__ import annotations

import pytest

from learnward.organisations import services
from learnward.organisations.models import Invitation
from tests.catalog.factories import make_course
from tests.threads import race

from .factories import join, make_organisation, make_pool


@pytest.mark.django_db(transaction=True)
def test_two_managers_racing_for_the_last_seat_get_one_success(make_user):
    org = make_organisation()
    pool = make_pool(org, make_course(questions=0), seats=2)
    first, second = make_user(), make_user()
    join(org, first, role="manager")
    join(org, second, role="manager")
    services.member_invite(actor=first, organisation=org, email="a@example.test", pool=pool)

    def invite(actor, email):
        return services.member_invite(actor=actor, organisation=org, email=email, pool=pool)

    outcomes = race(
        lambda: invite(first, "b@example.test"), lambda: invite(second, "c@example.test")
    )
    kinds = sorted(kind for kind, _ in outcomes)
    assert kinds == ["error", "ok"], outcomes
    error = next(value for kind, value in outcomes if kind == "error")
    assert isinstance(error, services.OrganisationError) and "No seats" in error.message
    assert Invitation.objects.filter(pool=pool).count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_csv_racing_for_seats_sends_all_or_nothing(make_user):
    org = make_organisation()
    pool = make_pool(org, make_course(questions=0), seats=2)
    manager = make_user()
    join(org, manager, role="manager")
    rows = [
        (2, {"email": "a@example.test", "name": "", "department": ""}),
        (3, {"email": "b@example.test", "name": "", "department": ""}),
    ]

    outcomes = race(
        lambda: services.members_invite_from_csv(
            actor=manager,
            organisation=org,
            pool=pool,
            rows=rows,
            expected=["a@example.test", "b@example.test"],
        ),
        lambda: services.member_invite(
            actor=manager, organisation=org, email="c@example.test", pool=pool
        ),
    )
    emails = set(Invitation.objects.values_list("email", flat=True))
    # Either the CSV went first (both its rows, then no seat for c) or c did (then nothing of
    # the CSV): never a half.
    assert emails in ({"a@example.test", "b@example.test"}, {"c@example.test"}), outcomes
    assert sorted(kind for kind, _ in outcomes) == ["error", "ok"]
