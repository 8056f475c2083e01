"""Organisations for the tests: an organisation with a manager, members, and a pool."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from learnward.accounts.roles import ADMINISTRATOR
from learnward.organisations.models import Membership, Organisation, SeatPool

_seq = itertools.count(1)


def make_organisation(name: str | None = None) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(name=name or f"Care home {n}", slug=f"care-home-{n}")


def join(organisation, user, *, role=Membership.Role.MEMBER, department: str = "") -> Membership:
    return Membership.objects.create(
        organisation=organisation,
        user=user,
        role=role,
        department=department,
        joined_at=timezone.now(),
    )


def make_pool(organisation, course, *, seats: int = 2, days: int = 90) -> SeatPool:
    return SeatPool.objects.create(
        organisation=organisation,
        course=course,
        seats=seats,
        expires_on=timezone.localdate() + timedelta(days=days),
    )


def make_staff(make_user, **extra):
    """An administrator (who may manage organisations), as a request would give them: the site
    does not require two-factor in the tests and the account has no device."""
    return make_user(roles=[ADMINISTRATOR], **extra)
