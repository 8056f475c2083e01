"""Expiry reminders: the holder is emailed before a certificate expires (60, 30, 7 days by default).

The rules, in one place:

- A reminder interval ``d`` is *due* for a certificate once the days left until its expiry date
  are ``d`` or fewer (never before). Only the **most urgent** due interval is sent: a run that
  comes late (the job did not run for a week, or the certificate was issued with little validity
  left) sends one reminder, not all the missed ones at once, and never a less urgent reminder
  after a more urgent one was sent.
- Each (certificate, interval) is sent at most once: it is *claimed* by inserting the
  ``ExpiryReminder`` row (unique per certificate and interval) before the email goes, so two runs
  at once cannot both send it. A failed send gives the claim back, and the next run tries again,
  except when the recipient's mail server refuses the address for good (a 5xx reply to RCPT):
  retrying every day would change nothing, so the reminder counts as undeliverable.
- Only for certificates that are valid on the day (not expired, not revoked or superseded), not
  already renewed nor followed by a later certificate for the same course, and held by an
  account that is active (not closed, deactivated or waiting for deletion or a guardian) and not
  restricted (UK GDPR Art. 18). Certificates without an account (erased holders) get none. This
  is checked again as each batch is loaded for sending, so a change during a long run counts.
- They are service messages about the learner's own certificate: marketing preferences do not
  apply (:func:`learnward.core.mail.build_email`, as ``send_service_email`` does).
"""

from __future__ import annotations

import logging
import smtplib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import build_email
from learnward.notifications.services import notify

from .models import Certificate, ExpiryReminder
from .pdf import verification_url
from .renewal import newer_for_same_course, renewal_url
from .states import renewal_courses

logger = logging.getLogger(__name__)

SETTING = "LEARNWARD_CERTIFICATE_REMINDER_DAYS"
TEMPLATE = "certificates/email/expiry_reminder"
CHUNK = 500


def parse_reminder_days(value: str | Iterable[int]) -> tuple[int, ...]:
    """``"60,30,7"`` (or a list of numbers) -> ``(60, 30, 7)``: distinct, largest first.

    Raises ImproperlyConfigured naming the setting for anything but whole numbers above 0.
    """
    items = value.split(",") if isinstance(value, str) else list(value)
    days: set[int] = set()
    for item in items:
        text = str(item).strip()
        if not text.isdigit() or int(text) < 1:
            raise ImproperlyConfigured(
                f"{SETTING} must be whole numbers of days above 0, separated by commas "
                f"(for example 60,30,7), not {value!r}"
            )
        days.add(int(text))
    if not days:
        raise ImproperlyConfigured(f"{SETTING} needs at least one number of days, e.g. 60,30,7")
    return tuple(sorted(days, reverse=True))


def reminder_days() -> tuple[int, ...]:
    """The configured reminder intervals, largest first."""
    return parse_reminder_days(getattr(settings, "CERTIFICATE_REMINDER_DAYS", "60,30,7"))


def due_interval(days_left: int, intervals: Iterable[int]) -> int | None:
    """The most urgent interval whose day has come, or None (too early, or already expired)."""
    if days_left < 1:
        return None
    due = [d for d in intervals if days_left <= d]
    return min(due) if due else None


def reminder_candidates(*, today: date, intervals: tuple[int, ...]):
    """Certificates that may get a reminder on ``today``: valid, not renewed, expiring within the
    largest interval, held by an active, unrestricted account with an email address."""
    from learnward.accounts.models import User
    from learnward.privacy.consent.selectors import restricted_user_ids

    return (
        Certificate.objects.filter(
            user__isnull=False,
            user__status=User.Status.ACTIVE,
            user__pending_deletion__isnull=True,
            revoked_on__isnull=True,
            renewed_by__isnull=True,
            expires_on__gt=today,
            expires_on__lte=today + timedelta(days=max(intervals)),
        )
        .exclude(user__email="")
        .exclude(user_id__in=restricted_user_ids())
        # The holder already has a later certificate for the same course (taken again rather
        # than through the renewal route): nothing to remind them of.
        .exclude(newer_for_same_course())
    )


def reminders_due(*, today: date, intervals: tuple[int, ...]) -> list[tuple[int, int]]:
    """(certificate id, interval) for every reminder due on ``today`` and not yet sent."""
    candidates = list(
        reminder_candidates(today=today, intervals=intervals)
        .order_by("expires_on", "id")
        .values_list("id", "expires_on")
    )
    due: list[tuple[int, int]] = []
    for start in range(0, len(candidates), CHUNK):
        chunk = candidates[start : start + CHUNK]
        most_urgent_sent: dict[int, int] = {}
        for certificate_id, days_before in ExpiryReminder.objects.filter(
            certificate_id__in=[c for c, _ in chunk]
        ).values_list("certificate_id", "days_before"):
            most_urgent_sent[certificate_id] = min(
                days_before, most_urgent_sent.get(certificate_id, days_before)
            )
        for certificate_id, expires_on in chunk:
            interval = due_interval((expires_on - today).days, intervals)
            if interval is None:
                continue
            sent = most_urgent_sent.get(certificate_id)
            if sent is not None and sent <= interval:
                continue
            due.append((certificate_id, interval))
    return due


@dataclass
class ReminderRun:
    intervals: tuple[int, ...]
    dry_run: bool = False
    sent: Counter = field(default_factory=Counter)  # interval -> reminders sent (or due, dry run)
    failed: int = 0
    undeliverable: int = 0  # the address was refused for good: not retried
    taken: int = 0  # claimed by another run at the same time

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def summary(self) -> dict:
        """Counts only: no certificate, person or address."""
        return {
            "intervals": list(self.intervals),
            "sent": {str(d): self.sent.get(d, 0) for d in self.intervals},
            "failed": self.failed,
            "undeliverable": self.undeliverable,
        }


def _claim(certificate_id: int, interval: int) -> ExpiryReminder | None:
    try:
        with transaction.atomic():
            return ExpiryReminder.objects.create(
                certificate_id=certificate_id, days_before=interval, sent_at=timezone.now()
            )
    except IntegrityError:
        return None


def reminder_email_context(certificate: Certificate, *, today: date, route) -> dict:
    days_left = (certificate.expires_on - today).days
    context = {
        "user": certificate.user,
        "certificate": certificate,
        "days_left": days_left,
        "route": route,
        "certificate_url": absolute_url(
            reverse("certificates:detail", args=[certificate.display_code])
        ),
        "verify_url": verification_url(certificate),
        "contact_url": absolute_url(reverse("support:contact")),
        "provider_email": settings.PROVIDER_EMAIL,
    }
    if route is not None:
        context["renew_url"] = absolute_url(renewal_url(certificate))
    return context


def reminder_subject(certificate: Certificate, *, days_left: int) -> str:
    """In the active language: call it inside ``use_language(holder.language)``."""
    if days_left == 1:
        return gettext("Your certificate for %(course)s expires tomorrow") % {
            "course": certificate.course_title
        }
    return ngettext(
        "Your certificate for %(course)s expires in %(days)s day",
        "Your certificate for %(course)s expires in %(days)s days",
        days_left,
    ) % {"course": certificate.course_title, "days": days_left}


def expiry_reminders_send(*, dry_run: bool = False, today: date | None = None) -> ReminderRun:
    """Send every reminder due today (see the module docstring); audit the run's counts.

    With ``dry_run`` nothing is sent, stored or audited: the counts say what would be sent.
    """
    intervals = reminder_days()
    today = today or timezone.localdate()
    run = ReminderRun(intervals=intervals, dry_run=dry_run)
    due = reminders_due(today=today, intervals=intervals)
    if dry_run:
        run.sent.update(interval for _, interval in due)
        return run

    connection = get_connection()
    try:
        for start in range(0, len(due), CHUNK):
            chunk = dict(due[start : start + CHUNK])
            # The candidates' rule again: an account closed or restricted, or a certificate
            # revoked or renewed, since the run began gets nothing.
            certificates = list(
                reminder_candidates(today=today, intervals=intervals)
                .filter(pk__in=chunk)
                .select_related("user")
                .order_by("pk")
            )
            routes = renewal_courses(certificates)
            for certificate in certificates:
                _send_one(
                    certificate,
                    chunk[certificate.pk],
                    today=today,
                    route=routes.get(certificate.pk),
                    connection=connection,
                    run=run,
                )
    finally:
        _reset(connection)

    with transaction.atomic():
        audit_record(action=Action.EXPIRY_REMINDERS_RUN, payload=run.summary())
    logger.info("expiry reminders: %d sent, %d failed", run.total, run.failed)
    return run


def _send_one(certificate, interval, *, today, route, connection, run: ReminderRun) -> None:
    claim = _claim(certificate.pk, interval)
    if claim is None:
        run.taken += 1
        return
    language = certificate.user.language
    try:
        # In the holder's saved language: the subject, the body, the dates and the /nl/ links.
        with use_language(language):
            context = reminder_email_context(certificate, today=today, route=route)
            subject = reminder_subject(certificate, days_left=context["days_left"])
            message = build_email(
                to=certificate.user.email,
                subject=subject,
                template=TEMPLATE,
                context=context,
                language=language,
            )
        connection.open()  # kept open across the batch (no-op once open)
        message.connection = connection
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        if all(code >= 500 for code, _ in exc.recipients.values()):
            # Refused for good (no such mailbox): keep the claim, so it is not tried every day.
            run.undeliverable += 1
            logger.warning("certificate expiry reminder refused by the recipient's mail server")
        else:
            _give_back(claim, connection, run, exc)
        return
    except Exception as exc:  # noqa: BLE001 - one failure must not stop the batch
        _give_back(claim, connection, run, exc)
        return
    run.sent[interval] += 1
    # The same reminder in the learner's notification centre (and their other chosen channels).
    with use_language(language):
        notify(
            user=certificate.user,
            kind="certificate_expiry",
            title=subject,
            url=certificate.get_absolute_url(),
        )


def _give_back(claim: ExpiryReminder, connection, run: ReminderRun, exc: Exception) -> None:
    """A send that may succeed later: release the claim so the next run tries again."""
    ExpiryReminder.objects.filter(pk=claim.pk).delete()
    _reset(connection)
    run.failed += 1
    # The exception's type only: SMTP errors quote the recipient's address.
    logger.warning(
        "certificate expiry reminder not sent (%s); retried on the next run", type(exc).__name__
    )


def _reset(connection) -> None:
    """Drop a connection that failed; the next message opens a fresh one."""
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 - it is being thrown away either way
        pass
