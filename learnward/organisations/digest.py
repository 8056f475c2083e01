"""Managers' weekly digest: what changed in their organisation's required training since the
last digest, and what is due in the next 30 days.

The rules:

- Sent to a *current manager* (membership not left, role manager) who opted in
  (``digest_opt_in``), whose account is active and has an email address. One email per person,
  covering every organisation they manage and opted in for whose digest is due.
- At most one per organisation per 7 days: a membership is due when ``digest_sent_at`` is empty
  or 7 days old or more. The daily job (``organisations_digest``) *claims* each due membership by
  setting ``digest_sent_at`` only if it still holds the value read (compare and set), so two runs
  at once, or a second run the same day, send nothing twice. A send that fails gives the claims
  back and the next run tries again.
- The window is whole days: certificates awarded from the day of the last digest up to
  yesterday are *new*; certificates whose due date (see :mod:`.matrix`) fell after the day of
  the last digest up to today are *newly expired*. Consecutive digests' windows meet without
  overlapping. A first digest looks back 7 days.
- *Due* is every cell expiring within 30 days (1 to 30 days left), with its date.
- A digest with nothing new, nothing newly expired and nothing due is not sent (the claim is
  given back, so the window keeps growing until there is something to say).
- Everything in it comes from the compliance matrix, read as that manager: the same minimum a
  manager sees on the page (names, courses, statuses and dates).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.mail import get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.accounts.models import User
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import build_email

from .matrix import CellStatus, compliance_matrix, format_day
from .models import Membership, Organisation

logger = logging.getLogger(__name__)

TEMPLATE = "organisations/email/digest"
INTERVAL = timedelta(days=7)
DUE_DAYS = 30


@dataclass(frozen=True)
class Item:
    name: str
    course: str
    day: date

    @property
    def day_text(self) -> str:
        return format_day(self.day)


@dataclass
class OrganisationDigest:
    organisation: Organisation
    since: date
    new_certificates: list[Item] = field(default_factory=list)
    newly_expired: list[Item] = field(default_factory=list)
    due: list[Item] = field(default_factory=list)
    expired_total: int = 0
    overdue_total: int = 0

    @property
    def empty(self) -> bool:
        return not (self.new_certificates or self.newly_expired or self.due)

    @property
    def matrix_url(self) -> str:
        return absolute_url(reverse("organisations:matrix", args=[self.organisation.slug]))


def organisation_digest(
    *, actor, organisation: Organisation, since: date, today: date
) -> OrganisationDigest:
    """What changed since ``since`` (a day) and what is due, from the matrix ``actor`` sees."""
    matrix = compliance_matrix(actor=actor, organisation=organisation)
    digest = OrganisationDigest(organisation=organisation, since=since)
    for row in matrix.rows:
        for cell in row.cells:
            status = cell.status
            if status is CellStatus.NOT_REQUIRED:
                continue
            if cell.awarded_on is not None and since <= cell.awarded_on < today:
                digest.new_certificates.append(Item(row.name, cell.course_title, cell.awarded_on))
            if status is CellStatus.EXPIRED:
                digest.expired_total += 1
                if since < cell.valid_until <= today:
                    digest.newly_expired.append(Item(row.name, cell.course_title, cell.valid_until))
            elif status is CellStatus.EXPIRES_30:
                digest.due.append(Item(row.name, cell.course_title, cell.valid_until))
            elif status is CellStatus.OVERDUE:
                digest.overdue_total += 1
    for items in (digest.new_certificates, digest.newly_expired, digest.due):
        items.sort(key=lambda item: (item.day, item.name.lower(), item.course.lower()))
    return digest


def memberships_due(*, now: datetime):
    """Managers' memberships whose digest is due now."""
    return (
        Membership.objects.filter(
            role=Membership.Role.MANAGER,
            left_at__isnull=True,
            digest_opt_in=True,
            user__status=User.Status.ACTIVE,
            user__pending_deletion__isnull=True,
        )
        .exclude(user__email="")
        .filter(Q(digest_sent_at__isnull=True) | Q(digest_sent_at__lte=now - INTERVAL))
        .select_related("organisation", "user")
        .order_by("user_id", "organisation__name", "id")
    )


def _claim(membership: Membership, now: datetime) -> bool:
    """Set ``digest_sent_at`` only if no one else has since it was read."""
    previous = membership.digest_sent_at
    claimed = Membership.objects.filter(pk=membership.pk, digest_sent_at=previous)
    if previous is None:
        claimed = Membership.objects.filter(pk=membership.pk, digest_sent_at__isnull=True)
    return claimed.update(digest_sent_at=now) == 1


def _give_back(claims: list[Membership], now: datetime) -> None:
    for membership in claims:
        Membership.objects.filter(pk=membership.pk, digest_sent_at=now).update(
            digest_sent_at=membership.digest_sent_at
        )


@dataclass
class DigestRun:
    sent: int = 0
    nothing_to_say: int = 0
    failed: int = 0


def digest_subject(digests: list[OrganisationDigest]) -> str:
    """In the active language: call it inside ``use_language(manager.language)``."""
    if len(digests) == 1:
        return _("Weekly training digest: %(name)s") % {"name": digests[0].organisation.name}
    return ngettext(
        "Weekly training digest: %(count)s organisation",
        "Weekly training digest: %(count)s organisations",
        len(digests),
    ) % {"count": len(digests)}


def digests_send(*, now: datetime | None = None) -> DigestRun:
    """Send every digest due now (see the module docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = DigestRun()
    by_user: dict[int, list[Membership]] = {}
    for membership in memberships_due(now=now):
        by_user.setdefault(membership.user_id, []).append(membership)
    connection = get_connection()
    try:
        for memberships in by_user.values():
            _send_to(memberships, now=now, today=today, connection=connection, run=run)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 - closing a connection that failed
            pass
    logger.info(
        "organisation digests: %d sent, %d with nothing to say, %d failed",
        run.sent,
        run.nothing_to_say,
        run.failed,
    )
    return run


def _send_to(memberships, *, now, today, connection, run: DigestRun) -> None:
    claims = [m for m in memberships if _claim(m, now)]
    if not claims:
        return
    user = claims[0].user
    digests = []
    for membership in claims:
        previous = membership.digest_sent_at
        since = timezone.localdate(previous) if previous else today - INTERVAL
        digests.append(
            organisation_digest(
                actor=user, organisation=membership.organisation, since=since, today=today
            )
        )
    if all(d.empty for d in digests):
        _give_back(claims, now)
        run.nothing_to_say += 1
        return
    try:
        # In the manager's saved language: the subject, the body, its dates and /nl/ links.
        with use_language(user.language):
            message = build_email(
                to=user.email,
                subject=digest_subject(digests),
                template=TEMPLATE,
                context={"name": user.display_name, "digests": digests, "today": today},
                language=user.language,
            )
        connection.open()
        message.connection = connection
        message.send()
    except Exception as exc:  # noqa: BLE001 - one failure must not stop the others
        _give_back(claims, now)
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110
            pass
        run.failed += 1
        # The type only: SMTP errors quote the address.
        logger.warning("organisation digest not sent (%s); retried next run", type(exc).__name__)
        return
    run.sent += 1
