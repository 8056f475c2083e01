"""Reads. Selectors that return someone's certificate take the acting user and enforce access:
the holder and staff with the view permission (through ``core.access.staff_powers``, so only in a
session that passed two-factor) see it; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from learnward.core.access import staff_powers

from .codes import parse_code
from .credentials.openbadges import signed_credential
from .models import Certificate
from .pdf import certificate_pdf_bytes

__all__ = [
    "can_see_all",
    "certificate_credential",
    "certificate_for_holder",
    "certificate_pdf_bytes",
    "certificates_for_user",
]

VIEW_PERMISSION = "certificates.view_certificate"


def can_see_all(actor: Any) -> bool:
    """Staff with the view permission, in a session that passed two-factor (``core.access``):
    a staff member still at the password step sees only their own certificates."""
    return staff_powers(actor, VIEW_PERMISSION)


def certificates_for_user(*, actor: Any, user: Any) -> QuerySet[Certificate]:
    """A user's certificates, newest first. Only the user themself and staff may ask."""
    if not getattr(actor, "is_authenticated", False):
        raise Http404
    if actor.pk != getattr(user, "pk", None) and not can_see_all(actor):
        raise Http404
    return Certificate.objects.filter(user=user).select_related("replaced_by")


def certificate_for_holder(*, actor: Any, code: str) -> Certificate:
    """The certificate with ``code`` if ``actor`` holds it or is staff; otherwise 404."""
    parsed = parse_code(code)
    if not parsed.ok or not getattr(actor, "is_authenticated", False):
        raise Http404
    queryset = Certificate.objects.select_related("replaced_by")
    if not can_see_all(actor):
        queryset = queryset.filter(user=actor)
    try:
        return queryset.get(code=parsed.canonical)
    except Certificate.DoesNotExist:
        raise Http404 from None


def certificate_credential(*, certificate: Certificate) -> dict:
    """The certificate as a signed Open Badges 3.0 credential (eddsa-rdfc-2022)."""
    return signed_credential(certificate)
