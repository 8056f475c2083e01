"""Writes: issuing, renewing, revoking and reissuing certificates. Each runs in one transaction
and audits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core import events
from learnward.core.dates import add_months
from learnward.core.errors import ApplicationError

from .codes import new_code
from .models import SUPERSEDED, Certificate, ExpiryReminder

STATUS_LIST_SIZE = 131_072  # bits per BitstringStatusList: the spec's minimum, for herd privacy
# Indices are drawn at random; a list takes new certificates until half full, so a random draw
# finds a free index in two tries on average, then the next list opens.
STATUS_LIST_CAPACITY = STATUS_LIST_SIZE // 2
_ATTEMPTS = 25

HOLDER_NAME_MAX = 200
REASON_MAX = 500


class CertificateError(ApplicationError, ValueError):
    """A request the rules do not allow; the message is fit to show to staff."""


def _status_list_for_new_certificate() -> int:
    current = Certificate.objects.aggregate(m=Max("status_list"))["m"] or 1
    if Certificate.objects.filter(status_list=current).count() >= STATUS_LIST_CAPACITY:
        current += 1
    return current


def _create_with_fresh_code(**fields: Any) -> Certificate:
    """Insert with a new random code and status entry, retrying the (rare) collisions."""
    status_list = _status_list_for_new_certificate()
    for _attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=new_code(),
                    status_list=status_list,
                    status_list_index=secrets.randbelow(STATUS_LIST_SIZE),
                    **fields,
                )
        except IntegrityError:
            # A certificate already holds this completion or renewal link: not a code clash.
            for link in ("completion", "completion_id", "renews", "renews_id"):
                value = fields.get(link)
                if value is not None and Certificate.objects.filter(**{link: value}).exists():
                    raise
            continue
    raise CertificateError(_("Could not allocate a certificate code; try again."))


def course_design(course: Any) -> dict[str, str]:
    """What a certificate keeps of its course's design at award: the layout, the awarding body's
    name and the accreditation number (none of them for a certificate without a course)."""
    if course is None:
        return {}
    body = getattr(course, "awarding_body", None)
    return {
        "layout": getattr(course, "certificate_layout", "") or "classic",
        "awarding_body": body.name if body is not None else "",
        "accreditation_number": getattr(course, "accreditation_number", "") or "",
    }


def _clean_holder_name(holder_name: str) -> str:
    holder_name = " ".join((holder_name or "").split())
    if not holder_name or len(holder_name) > HOLDER_NAME_MAX:
        raise CertificateError(
            _("The name must be 1 to %(max)s characters.") % {"max": HOLDER_NAME_MAX}
        )
    return holder_name


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
    hand_issue_reason: str = "",
) -> Certificate:
    """Issue a certificate from a snapshot (completions, imports of earlier certificates, demo).

    With a ``hand_issue_reason`` it is issued by hand for learning assessed outside the platform
    (:func:`certificate_issue_by_hand`): the record says so, and its one audit entry is
    "issued by hand" with the reason."""
    holder_name = _clean_holder_name(holder_name)
    if expires_on is not None and expires_on <= awarded_on:
        raise CertificateError(_("The expiry date must be after the award date."))
    certificate = _create_with_fresh_code(
        user=user,
        completion=completion,
        course=course,
        **course_design(course),
        holder_name=holder_name,
        course_title=course_title,
        cpd_hours=Decimal(cpd_hours or 0),
        awarded_on=awarded_on,
        expires_on=expires_on,
        assessed_elsewhere=bool(hand_issue_reason),
        hand_issue_reason=hand_issue_reason,
    )
    payload = {"code": certificate.display_code}
    if course is not None:
        payload["course_id"] = course.pk
    if hand_issue_reason:
        payload["reason"] = hand_issue_reason
    audit_record(
        action=Action.CERTIFICATE_ISSUED_BY_HAND
        if hand_issue_reason
        else Action.CERTIFICATE_ISSUED,
        actor=actor,  # None: issued by the platform when the course is completed
        subject=user,
        target=certificate,
        payload=payload,
    )
    events.emit(
        events.CERTIFICATE_ISSUED,
        certificate_id=certificate.pk,
        user_id=certificate.user_id,
        course_id=certificate.course_id,
    )
    return certificate


@transaction.atomic
def certificate_issue_for_completion(*, completion: Any) -> Certificate:
    """Issue the certificate for a course completion, exactly once.

    Learning calls this inside the transaction that records the completion. Calling it again for
    the same completion returns the certificate already issued. When the completed course is
    the renewal route of a certificate the learner holds (see :mod:`.renewal`), the new
    certificate renews that one instead (:func:`certificate_renew`).
    """
    existing = Certificate.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    enrolment = completion.enrolment
    user, course = enrolment.user, enrolment.course
    renewed = certificate_renew(completion=completion)
    if renewed is not None:
        return renewed
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


def _locked_renewal_target(*, user: Any, route: Any) -> Certificate | None:
    """The certificate this completion renews, locked, and still unrenewed under the lock."""
    from .renewal import renewal_target

    for _attempt in range(3):
        candidate = renewal_target(user=user, route=route)
        if candidate is None:
            return None
        locked = (
            Certificate.objects.select_for_update()
            .filter(pk=candidate.pk, revoked_on__isnull=True)
            .first()
        )
        if locked is not None and not Certificate.objects.filter(renews=locked).exists():
            locked.course = candidate.course
            return locked
    return None


@transaction.atomic
def certificate_renew(*, completion: Any) -> Certificate | None:
    """Renew the certificate that completing this course renews, if there is one; else None.

    The new certificate is for the renewed course (its title, so the chain stays one
    qualification) with the completed course's CPD hours (the learning actually done), awarded
    on the completion date and valid for the renewed course's period (or the route's, when the
    renewed course has none). It links to the one it renews; that one is not revoked. A
    certificate is renewed once: the target is locked and checked under the lock, and the unique
    ``renews`` link backs it up.
    """
    from .renewal import renewal_validity_months

    enrolment = completion.enrolment
    user, route = enrolment.user, enrolment.course
    old = _locked_renewal_target(user=user, route=route)
    if old is None:
        return None
    renewed_course = old.course
    awarded_on = timezone.localdate(completion.completed_at)
    validity = renewal_validity_months(renewed_course=renewed_course, route=route)
    try:
        with transaction.atomic():
            new = _create_with_fresh_code(
                user=user,
                completion=completion,
                course=renewed_course,
                holder_name=_clean_holder_name(user.display_name),
                course_title=renewed_course.title,
                cpd_hours=Decimal(route.cpd_hours or 0),
                awarded_on=awarded_on,
                expires_on=add_months(awarded_on, validity) if validity else None,
                renews=old,
            )
    except IntegrityError:
        existing = Certificate.objects.filter(completion=completion).first()
        if existing is not None:
            return existing
        return None  # renewed by another transaction after all: issue an ordinary certificate
    payload = {"code": new.display_code, "renews": old.display_code, "course_id": route.pk}
    if route.pk != renewed_course.pk:
        payload["renewed_course_id"] = renewed_course.pk
    audit_record(
        action=Action.CERTIFICATE_RENEWED,
        actor=None,  # by the platform, when the renewal route is completed
        subject=user,
        target=new,
        payload=payload,
    )
    events.emit(
        events.CERTIFICATE_RENEWED,
        certificate_id=new.pk,
        previous_id=old.pk,
        user_id=new.user_id,
        course_id=new.course_id,
    )
    return new


@dataclass(frozen=True)
class RenewalStart:
    course: Any  # where the learner goes next
    enrolment: Any
    started: bool  # False: a renewal was already under way, nothing changed


class RenewalRefused(CertificateError):
    """Starting a renewal is refused; ``code`` says why ("unavailable", "needs_registration",
    "unverified"), the message is fit to show the holder."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@transaction.atomic
def certificate_renewal_start(*, certificate: Certificate, actor: Any) -> RenewalStart:
    """Start renewing ``certificate`` for its holder: enrol on the renewal course, or start a
    new cycle of it when the holder has completed it before (a course that renews itself).

    Only the holder may; only while :func:`renewal_course_for` offers a route. Asking again
    while the renewal is under way changes nothing and audits nothing.
    """
    from learnward.learning.services import LearningError, enrolment_begin_cycle

    from .renewal import renewal_status

    if actor is None or certificate.user_id is None or certificate.user_id != actor.pk:
        raise RenewalRefused(_("Only the certificate's holder can renew it."), code="not_holder")
    status = renewal_status(certificate)
    if not status.available:
        raise RenewalRefused(status.reason, code="unavailable")
    route = status.route
    try:
        enrolment, started = enrolment_begin_cycle(user=actor, course=route)
    except LearningError as exc:
        raise RenewalRefused(exc.message, code=exc.code) from exc
    # The enrolment is locked now, so a completion of the route cannot slip in: check again (a
    # completion that committed meanwhile may have renewed it). Refusing rolls the cycle back.
    status = renewal_status(Certificate.objects.get(pk=certificate.pk))
    if not status.available:
        raise RenewalRefused(status.reason, code="unavailable")
    if started:
        audit_record(
            action=Action.CERTIFICATE_RENEWAL_STARTED,
            actor=actor,
            subject=actor,
            target=certificate,
            payload={
                "code": certificate.display_code,
                "course_id": route.pk,
                "cycle": enrolment.cycle,
            },
        )
    return RenewalStart(course=route, enrolment=enrolment, started=started)


def _clean_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError(_("Give a reason for revoking the certificate."))
    if len(reason) > REASON_MAX:
        raise CertificateError(
            _("Keep the reason to %(max)s characters or fewer.") % {"max": REASON_MAX}
        )
    return reason


def _locked(certificate: Certificate) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_on is not None:
        raise CertificateError(
            _("Certificate %(code)s is already revoked.") % {"code": locked.display_code}
        )
    return locked


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, actor: Any) -> Certificate:
    """Revoke with a reason. A verifier then sees ``revoked``, the date and the reason.

    A revoked renewal no longer renews anything: the certificate it renewed is released, so it
    shows its own expiry again, its holder is reminded, and it can be renewed once more. The
    audit entry keeps which certificate the revoked one had renewed."""
    reason = _clean_reason(reason)
    certificate = _locked(certificate)
    certificate.revoked_on = timezone.localdate()
    certificate.revocation_reason = reason
    payload = {"code": certificate.display_code}
    fields = ["revoked_on", "revocation_reason"]
    if certificate.renews_id is not None:
        payload["renewed"] = (
            Certificate.objects.only("code").get(pk=certificate.renews_id).display_code
        )
        certificate.renews = None
        fields.append("renews")
    certificate.save(update_fields=fields)
    audit_record(
        action=Action.CERTIFICATE_REVOKED,
        actor=actor,
        subject=certificate.user,
        target=certificate,
        payload=payload,
    )
    events.emit(
        events.CERTIFICATE_REVOKED,
        certificate_id=certificate.pk,
        user_id=certificate.user_id,
        course_id=certificate.course_id,
    )
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, holder_name: str, actor: Any) -> Certificate:
    """Reissue with a corrected name (rectification); the old one is revoked as superseded.

    The new certificate keeps the award and expiry dates, course and hours: only the name changes.
    The old certificate's verification page links to the new code. The new one takes the old
    one's place in a renewal chain (what it renewed, and what renewed it).
    """
    holder_name = " ".join((holder_name or "").split())
    if not holder_name:
        raise CertificateError(_("Enter the name to print on the certificate."))
    if len(holder_name) > HOLDER_NAME_MAX:
        raise CertificateError(
            _("Keep the name to %(max)s characters or fewer.") % {"max": HOLDER_NAME_MAX}
        )
    old = _locked(certificate)
    if holder_name == old.holder_name:
        raise CertificateError(_("The corrected name is the same as the name on the certificate."))
    completion_id = old.completion_id
    if completion_id is not None:
        # The completion's one certificate becomes the new one.
        Certificate.objects.filter(pk=old.pk).update(completion=None)
        old.completion_id = None
    renews_id = old.renews_id
    if renews_id is not None:
        # So does its place in a renewal chain: the corrected one renews what the old one did.
        Certificate.objects.filter(pk=old.pk).update(renews=None)
        old.renews_id = None
    new = _create_with_fresh_code(
        user_id=old.user_id,
        completion_id=completion_id,
        renews_id=renews_id,
        course_id=old.course_id,
        holder_name=holder_name,
        course_title=old.course_title,
        layout=old.layout,
        awarding_body=old.awarding_body,
        accreditation_number=old.accreditation_number,
        cpd_hours=old.cpd_hours,
        awarded_on=old.awarded_on,
        expires_on=old.expires_on,
    )
    # A renewal of the old certificate now renews the corrected one.
    Certificate.objects.filter(renews=old).update(renews=new)
    # The reminders already sent for the date were sent for this one too (same expiry date).
    ExpiryReminder.objects.bulk_create(
        ExpiryReminder(certificate=new, days_before=days_before, sent_at=sent_at)
        for days_before, sent_at in old.expiry_reminders.values_list("days_before", "sent_at")
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
    # For a consumer, the old certificate is revoked and a corrected one issued.
    events.emit(
        events.CERTIFICATE_REVOKED,
        certificate_id=old.pk,
        user_id=old.user_id,
        course_id=old.course_id,
    )
    events.emit(
        events.CERTIFICATE_ISSUED,
        certificate_id=new.pk,
        user_id=new.user_id,
        course_id=new.course_id,
    )
    return new


# --- issued by hand, for learning assessed outside the platform ----------------------------------


def _clean_hand_reason(reason: str) -> str:
    from .hand_issue import REASON_MAX

    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateError(
            _("Give the reason for issuing by hand, such as the exam or course it was assessed in.")
        )
    if len(reason) > REASON_MAX:
        raise CertificateError(
            _("Keep the reason to %(max)s characters or fewer.") % {"max": REASON_MAX}
        )
    return reason


def _may_issue_by_hand(actor: Any) -> None:
    from .hand_issue import PERMISSION

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise CertificateError(_("Only staff who may issue certificates by hand can do this."))
    if not actor.has_perm(PERMISSION):
        raise CertificateError(_("Only staff who may issue certificates by hand can do this."))


def _issue_by_hand(*, actor: Any, user: Any, course: Any, awarded_on: date, reason: str):
    if user is None or not getattr(user, "is_active", False):
        raise CertificateError(_("Choose a learner whose account is open."))
    if course is None:
        raise CertificateError(_("Choose the course the certificate is for."))
    if awarded_on > timezone.localdate():
        raise CertificateError(_("The award date is in the future."))
    if Certificate.objects.filter(
        user=user, course=course, awarded_on=awarded_on, revoked_on__isnull=True
    ).exists():
        raise CertificateError(
            _("This learner already has a certificate for this course awarded on this date.")
        )
    validity = course.certificate_validity_months
    return certificate_issue(
        user=user,
        holder_name=user.display_name,
        course_title=course.title,
        cpd_hours=course.cpd_hours,
        awarded_on=awarded_on,
        expires_on=add_months(awarded_on, validity) if validity else None,
        course=course,
        actor=actor,
        hand_issue_reason=reason,
    )


@transaction.atomic
def certificate_issue_by_hand(
    *, actor: Any, user: Any, course: Any, awarded_on: date, reason: str
) -> Certificate:
    """Issue ``user`` a certificate for ``course`` by hand, for learning assessed outside the
    platform (a classroom course, a practical exam, a webinar), awarded on ``awarded_on``.

    It is an ordinary certificate (code, PDF, QR, verification, Open Badges credential, expiry
    from the course's validity, reminders and renewal) whose record says it was assessed
    outside the platform; the name printed is the learner's name on their account. One audit
    entry ("issued by hand") carries the reason. ``actor`` needs the permission
    ``certificates.issue_by_hand``. Not durable, so a caller's transaction may hold it; the
    CSV batch does (:func:`certificates_issue_by_hand_from_csv`).
    """
    _may_issue_by_hand(actor)
    reason = _clean_hand_reason(reason)
    return _issue_by_hand(
        actor=actor, user=user, course=course, awarded_on=awarded_on, reason=reason
    )


class HandIssueRefused(CertificateError):
    """The batch was refused as a whole; ``checks`` lists every row and its problem."""

    def __init__(self, message: str, *, checks: list) -> None:
        super().__init__(message)
        self.message = message
        self.checks = checks


@transaction.atomic(durable=True)
def certificates_issue_by_hand_from_csv(
    *, actor: Any, rows: list[tuple[int, dict[str, str]]], reason: str, expected: int
) -> list[Certificate]:
    """Issue every row of a checked CSV (see :mod:`.hand_issue`) in one transaction, or none.

    The rows are checked again here: when any row has a problem now, or the number of rows
    differs from ``expected`` (what the preview promised), nothing is issued. Each certificate
    has its own audit entry with the reason."""
    from .hand_issue import check_rows

    _may_issue_by_hand(actor)
    reason = _clean_hand_reason(reason)
    checks = check_rows(rows, today=timezone.localdate())
    bad = [c for c in checks if not c.ok]
    if bad:
        raise HandIssueRefused(
            ngettext(
                "%(count)s row cannot be issued; nothing was issued. "
                "Correct the file and upload it again.",
                "%(count)s rows cannot be issued; nothing was issued. "
                "Correct the file and upload it again.",
                len(bad),
            )
            % {"count": len(bad)},
            checks=checks,
        )
    if len(checks) != expected:
        raise HandIssueRefused(
            _("The file changed since the preview; nothing was issued. Check it again."),
            checks=checks,
        )
    return [
        _issue_by_hand(
            actor=actor,
            user=check.user,
            course=check.course,
            awarded_on=check.awarded_on,
            reason=reason,
        )
        for check in checks
    ]
