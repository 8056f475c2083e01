"""Writes: issuing, revoking and reissuing certificates. Each runs in one transaction and audits."""

from __future__ import annotations

import calendar
import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record

from .codes import new_code
from .models import SUPERSEDED, Certificate

STATUS_LIST_SIZE = 131_072  # bits per BitstringStatusList: the spec's minimum, for herd privacy
# Indices are drawn at random; a list takes new certificates until half full, so a random draw
# finds a free index in two tries on average, then the next list opens.
STATUS_LIST_CAPACITY = STATUS_LIST_SIZE // 2
_ATTEMPTS = 25

HOLDER_NAME_MAX = 200
REASON_MAX = 500


class CertificateError(ValueError):
    """A request the rules do not allow; the message is fit to show to staff."""


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _status_list_for_new_certificate() -> int:
    current = Certificate.objects.aggregate(m=Max("status_list"))["m"] or 1
    if Certificate.objects.filter(status_list=current).count() >= STATUS_LIST_CAPACITY:
        current += 1
    return current


def _create_with_fresh_code(**fields: Any) -> Certificate:
    """Insert with a new random code and status entry, retrying the (rare) collisions."""
    status_list = _status_list_for_new_certificate()
    for _ in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=new_code(),
                    status_list=status_list,
                    status_list_index=secrets.randbelow(STATUS_LIST_SIZE),
                    **fields,
                )
        except IntegrityError:
            if (
                "completion" in fields
                and Certificate.objects.filter(completion=fields["completion"]).exists()
            ):
                raise
            continue
    raise CertificateError("Could not allocate a certificate code; try again.")


@transaction.atomic
def certificate_issue(
    *,
    user: Any,
    holder_name: str,
    course_title: str,
    cpd_hours: Decimal | int | str,
    awarded_on: date,
    expires_on: date | None,
    course: Any = None,
    completion: Any = None,
    actor: Any = None,
) -> Certificate:
    """Issue a certificate from a snapshot (completions, imports of earlier certificates, demo)."""
    holder_name = " ".join((holder_name or "").split())
    if not holder_name or len(holder_name) > HOLDER_NAME_MAX:
        raise CertificateError(f"The name must be 1 to {HOLDER_NAME_MAX} characters.")
    if expires_on is not None and expires_on <= awarded_on:
        raise CertificateError("The expiry date must be after the award date.")
    certificate = _create_with_fresh_code(
        user=user,
        completion=completion,
        course=course,
        holder_name=holder_name,
        course_title=course_title,
        cpd_hours=Decimal(cpd_hours or 0),
        awarded_on=awarded_on,
        expires_on=expires_on,
    )
    payload = {"code": certificate.display_code}
    if course is not None:
        payload["course_id"] = course.pk
    audit_record(
        action=Action.CERTIFICATE_ISSUED,
        actor=actor,  # None: issued by the platform when the course is completed
        subject=user,
        target=certificate,
        payload=payload,
    )
    return certificate


@transaction.atomic
def certificate_issue_for_completion(*, completion: Any) -> Certificate:
    """Issue the certificate for a course completion, exactly once.

    Learning calls this inside the transaction that records the completion. Calling it again for
    the same completion returns the certificate already issued.
    """
    existing = Certificate.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    enrolment = completion.enrolment
    user, course = enrolment.user, enrolment.course
    awarded_on = timezone.localdate(completion.completed_at)
    validity = course.certificate_validity_months
    try:
        with transaction.atomic():
            return certificate_issue(
                user=user,
                holder_name=user.display_name,
                course_title=course.title,
                cpd_hours=course.cpd_hours,
                awarded_on=awarded_on,
                expires_on=add_months(awarded_on, validity) if validity else None,
                course=course,
                completion=completion,
            )
    except IntegrityError:
        # Another transaction issued it for this completion between our check and insert.
        return Certificate.objects.get(completion=completion)


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError("Give a reason for revoking the certificate.")
    if len(reason) > REASON_MAX:
        raise CertificateError(f"Keep the reason to {REASON_MAX} characters or fewer.")
    return reason


def _locked(certificate: Certificate) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_on is not None:
        raise CertificateError(f"Certificate {locked.display_code} is already revoked.")
    return locked


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor: Any) -> Certificate:
    """Revoke with a reason. A verifier then sees ``revoked``, the date and the reason."""
    reason = _clean_reason(reason)
    certificate = _locked(certificate)
    certificate.revoked_on = timezone.localdate()
    certificate.revocation_reason = reason
    certificate.save(update_fields=["revoked_on", "revocation_reason"])
    audit_record(
        action=Action.CERTIFICATE_REVOKED,
        actor=actor,
        subject=certificate.user,
        target=certificate,
        payload={"code": certificate.display_code},
    )
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, holder_name: str, actor: Any) -> Certificate:
    """Reissue with a corrected name (rectification); the old one is revoked as superseded.

    The new certificate keeps the award and expiry dates, course and hours: only the name changes.
    The old certificate's verification page links to the new code.
    """
    holder_name = " ".join((holder_name or "").split())
    if not holder_name:
        raise CertificateError("Enter the name to print on the certificate.")
    if len(holder_name) > HOLDER_NAME_MAX:
        raise CertificateError(f"Keep the name to {HOLDER_NAME_MAX} characters or fewer.")
    old = _locked(certificate)
    if holder_name == old.holder_name:
        raise CertificateError("The corrected name is the same as the name on the certificate.")
    completion_id = old.completion_id
    if completion_id is not None:
        # The completion's one certificate becomes the new one.
        Certificate.objects.filter(pk=old.pk).update(completion=None)
        old.completion_id = None
    new = _create_with_fresh_code(
        user_id=old.user_id,
        completion_id=completion_id,
        course_id=old.course_id,
        holder_name=holder_name,
        course_title=old.course_title,
        cpd_hours=old.cpd_hours,
        awarded_on=old.awarded_on,
        expires_on=old.expires_on,
    )
    old.revoked_on = timezone.localdate()
    old.revocation_reason = SUPERSEDED
    old.replaced_by = new
    old.save(update_fields=["revoked_on", "revocation_reason", "replaced_by"])
    audit_record(
        action=Action.CERTIFICATE_REISSUED,
        actor=actor,
        subject=old.user,
        target=new,
        payload={"code": new.display_code, "replaces": old.display_code},
    )
    return new
