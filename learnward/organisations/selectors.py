"""Reads for organisations. Every selector that returns an organisation's data takes the acting
user and enforces access: a current manager of that organisation, or staff with the power to
manage organisations; anyone else gets a 404, as if it did not exist."""

from __future__ import annotations

from django.http import Http404

from learnward.core.access import staff_powers

from .models import Membership, Organisation

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
