"""How the holder sees their certificates: valid, expiring soon, expired, revoked or replaced, with
the renewal action and the sharing links. Reads only, in a fixed number of queries however many
certificates there are (the dashboard's query count must not grow with them).

"Expiring soon" starts with the first reminder: within the largest of
``LEARNWARD_CERTIFICATE_REMINDER_DAYS`` (60 days by default) of the expiry date, so the email
and the dashboard tell the learner the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import TextChoices
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Certificate, CertificateStatus


class HolderState(TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING_SOON = "expiring-soon", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    REPLACED = "replaced", _("Replaced")


# The site's status colours (site.css) for each state; the words always say it as well.
STATUS_CLASS = {
    HolderState.VALID: "status-valid",
    HolderState.EXPIRING_SOON: "status-expired",
    HolderState.EXPIRED: "status-expired",
    HolderState.REVOKED: "status-revoked",
    HolderState.REPLACED: "status-revoked",
}


def expiring_soon_days() -> int:
    from .reminders import reminder_days

    return max(reminder_days())


def holder_state(
    certificate: Certificate, *, today: date, soon_days: int, renewed: bool = False
) -> HolderState:
    status = certificate.status_on(today)
    if status == CertificateStatus.REVOKED:
        return HolderState.REPLACED if certificate.is_superseded else HolderState.REVOKED
    if status == CertificateStatus.EXPIRED:
        return HolderState.EXPIRED
    # Once renewed, the approaching date needs no action: the new certificate carries on.
    if (
        not renewed
        and certificate.expires_on is not None
        and (certificate.expires_on - today).days <= soon_days
    ):
        return HolderState.EXPIRING_SOON
    return HolderState.VALID


def renewal_courses(certificates: Sequence[Certificate]) -> dict[int, Any]:
    """``renewal_course_for`` for many certificates in one query: certificate id -> the published
    course that renews it, or None. It applies renewal.py's own eligibility filter, so the rules
    stay in one place (a test holds the two together)."""
    from .renewal import eligible_for_renewal

    result: dict[int, Any] = {c.pk: None for c in certificates}
    if not result:
        return result
    eligible = (
        eligible_for_renewal(Certificate.objects.filter(pk__in=list(result)))
        .filter(course__renewal_course__published=True)
        .select_related("course__renewal_course")
    )
    for certificate in eligible:
        result[certificate.pk] = certificate.course.renewal_course
    return result


def renewing_certificates(certificates: Sequence[Certificate]) -> dict[int, Certificate]:
    """certificate id -> the certificate that renewed it (one query)."""
    ids = [c.pk for c in certificates]
    if not ids:
        return {}
    return {
        c.renews_id: c
        for c in Certificate.objects.filter(renews__in=ids).only("id", "code", "renews_id")
    }


def superseded_by_newer(certificates: Sequence[Certificate]) -> set[int]:
    """Ids of those ``certificates`` whose holder has a later one for the same course (one
    query), by the rule the reminders use (renewal.newer_for_same_course)."""
    from .renewal import newer_for_same_course

    ids = [c.pk for c in certificates if c.course_id is not None]
    if not ids:
        return set()
    return set(
        Certificate.objects.filter(pk__in=ids)
        .filter(newer_for_same_course())
        .values_list("pk", flat=True)
    )


@dataclass
class HeldCertificate:
    """One of the holder's certificates, with what the holder's pages show about it."""

    certificate: Certificate
    state: HolderState
    days_left: int | None
    renewal_course: Any
    renewed_by: Certificate | None
    linkedin_url: str | None
    # The holder has a later certificate for the same course (taken again): this one needs no
    # renewal, and no reminder is sent for it.
    has_newer: bool = False

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def status_class(self) -> str:
        return STATUS_CLASS[self.state]

    @property
    def renew_url(self) -> str | None:
        if self.renewal_course is None:
            return None
        return reverse("certificates:renew", args=[self.certificate.display_code])

    @property
    def renewal_due(self) -> bool:
        """Renewal is offered as an action: it can be renewed online and it is expiring soon or
        has expired. (It may be renewed earlier from its page, but a certificate awarded today
        is never shown with "Renew" as its action.)"""
        return self.renew_url is not None and self.state in (
            HolderState.EXPIRING_SOON,
            HolderState.EXPIRED,
        )

    @property
    def tag_class(self) -> str:
        """The design system's tag for the state (the words always say it as well)."""
        return {
            HolderState.VALID: "tag--success",
            HolderState.EXPIRING_SOON: "tag--warning",
            HolderState.EXPIRED: "tag--neutral",
            HolderState.REVOKED: "tag--danger",
            HolderState.REPLACED: "tag--neutral",
        }[self.state]

    @property
    def can_share(self) -> bool:
        """The verification link and print view are offered unless the certificate was revoked
        (a verifier would only be told not to rely on it)."""
        return self.state not in (HolderState.REVOKED, HolderState.REPLACED)


def held_certificates(
    certificates: Iterable[Certificate], *, today: date | None = None
) -> list[HeldCertificate]:
    """The holder's view of ``certificates`` (already access-checked by a selector)."""
    from .share import linkedin_url_for

    certificates = list(certificates)
    today = today or timezone.localdate()
    soon = expiring_soon_days()
    routes = renewal_courses(certificates)
    renewals = renewing_certificates(certificates)
    with_newer = superseded_by_newer(certificates)
    held = []
    for certificate in certificates:
        renewed_by = renewals.get(certificate.pk)
        has_newer = certificate.pk in with_newer
        days_left = (
            (certificate.expires_on - today).days if certificate.expires_on is not None else None
        )
        held.append(
            HeldCertificate(
                certificate=certificate,
                state=holder_state(
                    certificate,
                    today=today,
                    soon_days=soon,
                    renewed=renewed_by is not None or has_newer,
                ),
                days_left=days_left,
                renewal_course=routes[certificate.pk],
                renewed_by=renewed_by,
                linkedin_url=linkedin_url_for(certificate, today=today),
                has_newer=has_newer,
            )
        )
    return held


def renewal_offers_for_course(
    *, user: Any, course: Any, today: date | None = None
) -> list[HeldCertificate]:
    """The certificates of ``user`` that the page of ``course`` offers to renew: those awarded for
    the course, or for a course it is the renewal route of, that are expiring soon or expired
    and can be renewed through a published route. Only the holder's own: nothing for anyone
    else, or for someone signed out."""
    from django.db.models import Q

    from .renewal import eligible_for_renewal

    if user is None or not user.is_authenticated:
        return []
    certificates = (
        eligible_for_renewal(Certificate.objects.filter(user=user))
        .filter(Q(course=course) | Q(course__renewal_course=course))
        .select_related("course")
        .order_by("expires_on", "id")
    )
    return [
        held
        for held in held_certificates(certificates, today=today)
        if held.renew_url and held.state in (HolderState.EXPIRING_SOON, HolderState.EXPIRED)
    ]
