"""Reads for organisations. Every selector that returns an organisation's data takes the acting
user and enforces access: a current manager of that organisation, or staff with the power to
manage organisations; anyone else gets a 404, as if it did not exist."""

from __future__ import annotations

import hashlib

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from learnward.core.access import staff_powers

from .models import Invitation, Membership, Organisation, RequiredCourse, SeatPool

STAFF_RULE = "organisations.manage_organisations"


def is_manager(*, actor, organisation: Organisation) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        organisation=organisation,
        user=actor,
        role=Membership.Role.MANAGER,
        left_at__isnull=True,
    ).exists()


def managed_organisation(*, actor, slug: str) -> Organisation:
    """The organisation ``slug`` if ``actor`` manages it now (or is staff who manage
    organisations); otherwise Http404."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    if staff_powers(actor, STAFF_RULE) or is_manager(actor=actor, organisation=organisation):
        return organisation
    raise Http404


# --- the manager's pages ---------------------------------------------------------------------------


def organisations_managed_by(*, actor) -> list[Organisation]:
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            memberships__user=actor,
            memberships__role=Membership.Role.MANAGER,
            memberships__left_at__isnull=True,
        ).distinct()
    )


def current_members(*, actor, organisation: Organisation):
    """The organisation's current members with their accounts (for its managers)."""
    managed_organisation(actor=actor, slug=organisation.slug)
    return (
        Membership.objects.filter(organisation=organisation, left_at__isnull=True)
        .select_related("user")
        .order_by("department", "user__display_name", "id")
    )


def pending_invitations(*, actor, organisation: Organisation, now=None):
    managed_organisation(actor=actor, slug=organisation.slug)
    now = now or timezone.now()
    return (
        Invitation.objects.filter(
            organisation=organisation, status=Invitation.Status.PENDING, expires_at__gt=now
        )
        .select_related("pool__course")
        .order_by("expires_at", "id")
    )


def required_courses(*, actor, organisation: Organisation):
    managed_organisation(actor=actor, slug=organisation.slug)
    return RequiredCourse.objects.filter(organisation=organisation).select_related("course")


def _one_of(queryset, *, actor, slug: str, pk: int):
    organisation = managed_organisation(actor=actor, slug=slug)
    found = queryset.filter(organisation=organisation, pk=pk).first()
    if found is None:
        raise Http404
    return organisation, found


def managed_membership(*, actor, slug: str, pk: int) -> tuple[Organisation, Membership]:
    """A current member of an organisation ``actor`` manages; anything else is a 404."""
    return _one_of(
        Membership.objects.filter(left_at__isnull=True).select_related("user"),
        actor=actor,
        slug=slug,
        pk=pk,
    )


def managed_invitation(*, actor, slug: str, pk: int) -> tuple[Organisation, Invitation]:
    return _one_of(Invitation.objects.all(), actor=actor, slug=slug, pk=pk)


def managed_requirement(*, actor, slug: str, pk: int) -> tuple[Organisation, RequiredCourse]:
    return _one_of(RequiredCourse.objects.select_related("course"), actor=actor, slug=slug, pk=pk)


def managed_pool(*, actor, organisation: Organisation, pk) -> SeatPool | None:
    """One of the organisation's pools (None for no pool or another organisation's)."""
    managed_organisation(actor=actor, slug=organisation.slug)
    if not pk:
        return None
    return SeatPool.objects.filter(organisation=organisation, pk=pk).first()


# --- the member's own ------------------------------------------------------------------------------


def memberships_of(*, user):
    """The organisations ``user`` belongs to now (their own; nobody else's)."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, left_at__isnull=True).select_related("organisation")


def own_membership(*, user, pk: int) -> Membership:
    membership = memberships_of(user=user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token opens (the token is the credential), or None."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    return (
        Invitation.objects.filter(token_hash=digest)
        .select_related("organisation", "pool__course")
        .first()
    )


# --- staff -----------------------------------------------------------------------------------------


def staff_organisations(*, actor):
    if not staff_powers(actor, STAFF_RULE):
        raise Http404
    return Organisation.objects.annotate(
        members=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True),
        pools=Count("seat_pools", distinct=True),
    ).order_by("name", "id")


def staff_organisation(*, actor, slug: str) -> Organisation:
    if not staff_powers(actor, STAFF_RULE):
        raise Http404
    organisation = Organisation.objects.filter(slug=slug).prefetch_related("domains").first()
    if organisation is None:
        raise Http404
    return organisation
