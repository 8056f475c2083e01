"""Which course renews a certificate, which certificate a completion renews, and where the
learner goes to renew it.

A course may name a renewal route (``Course.renewal_course``): a shorter refresher, or itself.
Completing that route issues a new certificate linked to the one it renews (``renews``); the old
one is not revoked and stays verifiable, as expired once its date passes.

The rules, in one place:

- A certificate can be renewed while it is valid and after it has expired, at any time: the new
  one's dates start at the renewal's completion and the old one stays valid until its own expiry,
  so renewing early never shortens anyone's cover.
- Only the holder's latest unrevoked certificate for a course can be renewed, and only once. A
  revoked certificate, one that never expires, and one whose course (or route) is gone or
  unpublished cannot.
- Completing a route renews one certificate: of the eligible certificates of the courses it
  renews, the one that expires first (one route may renew several courses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Certificate


def newer_for_same_course() -> Exists:
    """True where the holder has a later unrevoked certificate for the same course."""
    newer = Certificate.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), revoked_on__isnull=True
    ).filter(
        Q(awarded_on__gt=OuterRef("awarded_on"))
        | Q(awarded_on=OuterRef("awarded_on"), pk__gt=OuterRef("pk"))
    )
    return Exists(newer)


def eligible_for_renewal(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """The certificates of ``queryset`` that can be renewed, whatever their course's route: held
    by an account, unrevoked, expiring, not yet renewed, the holder's latest for the course."""
    return queryset.filter(
        user__isnull=False,
        course__isnull=False,
        revoked_on__isnull=True,
        expires_on__isnull=False,
        renewed_by__isnull=True,
    ).exclude(newer_for_same_course())


def renewal_target(*, user: Any, route: Any) -> Certificate | None:
    """The certificate that ``user`` completing ``route`` would renew, or None.

    Among the user's eligible certificates for the courses ``route`` renews, the one that
    expires first (then the older award, then the lower id, so the choice is stable).
    """
    if user is None or route is None:
        return None
    return (
        eligible_for_renewal(Certificate.objects.filter(user=user, course__renewal_course=route))
        .select_related("course")
        .order_by("expires_on", "awarded_on", "id")
        .first()
    )


def renewal_validity_months(*, renewed_course: Any, route: Any) -> int | None:
    """How long a renewal certificate is valid: the renewed course's validity (the qualification
    being renewed sets the period), or the route's when the renewed course has none."""
    return renewed_course.certificate_validity_months or route.certificate_validity_months or None


@dataclass(frozen=True)
class RenewalStatus:
    """Whether a certificate can be renewed online, and if not, why (fit to show the holder)."""

    route: Any = None  # the published course that renews it, when it can be renewed
    reason: str = ""  # why not, when it cannot
    related: Certificate | None = None  # the renewal, the replacement or the newer certificate

    @property
    def available(self) -> bool:
        return self.route is not None


def renewal_status(certificate: Certificate) -> RenewalStatus:
    if certificate.revoked_on is not None:
        if certificate.replaced_by_id is not None:
            return RenewalStatus(
                reason=_("This certificate was replaced by a corrected one: renew that one."),
                related=certificate.replaced_by,
            )
        return RenewalStatus(reason=_("This certificate was revoked, so it cannot be renewed."))
    renewal = Certificate.objects.filter(renews=certificate).first()
    if renewal is not None:
        return RenewalStatus(
            reason=_("This certificate has already been renewed."), related=renewal
        )
    if certificate.expires_on is None:
        return RenewalStatus(
            reason=_("This certificate does not expire, so it never needs renewing.")
        )
    if certificate.user_id is None:
        return RenewalStatus(reason=_("This certificate's holder no longer has an account here."))
    newer = (
        Certificate.objects.filter(pk=certificate.pk)
        .annotate(has_newer=newer_for_same_course())
        .values_list("has_newer", flat=True)
        .first()
    )
    if newer:
        latest = (
            Certificate.objects.filter(
                user_id=certificate.user_id,
                course_id=certificate.course_id,
                revoked_on__isnull=True,
            )
            .order_by("-awarded_on", "-id")
            .first()
        )
        return RenewalStatus(
            reason=_("You hold a newer certificate for this course: renew that one instead."),
            related=latest,
        )
    course = certificate.course
    route = getattr(course, "renewal_course", None)
    if route is None or not route.published:
        return RenewalStatus(
            reason=_(
                "This certificate cannot be renewed online: its course has no renewal course "
                "open at the moment."
            )
        )
    return RenewalStatus(route=route)


def renewal_course_for(certificate: Certificate) -> Any:
    """The published course that renews ``certificate``, or None.

    None when the certificate never expires, is revoked, has already been renewed, is not the
    holder's latest for its course, or its course (or the course's renewal route) is gone or
    unpublished. Expired certificates can be renewed.
    """
    return renewal_status(certificate).route


def renewal_url(certificate: Certificate) -> str:
    """The holder's page for renewing this certificate (it explains the route and starts it)."""
    return reverse("certificates:renew", args=[certificate.display_code])
