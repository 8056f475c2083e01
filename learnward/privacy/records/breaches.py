"""The breach register: services (writes, each audited) and selectors (reads for the DPO).

UK GDPR Art. 33 asks for the supervisory authority to be told within 72 hours of becoming aware
of a breach, with its nature, the categories and approximate numbers of people and records, a
contact point, the likely consequences and the measures taken; reasons for any delay; and a
record of every breach whether reported or not. Art. 34 asks for the people affected to be told
in clear language when the risk to them is high. Each person is emailed once
(``BreachNotification`` is unique per breach and person) and who was told is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.core.mail import send_service_email
from learnward.privacy.records.models import Breach, BreachNotification
from learnward.privacy.registry.taxonomy import CATEGORIES

VIEW_PERMISSION = "privacy_records.view_breach"
CHANGE_PERMISSION = "privacy_records.change_breach"
ADD_PERMISSION = "privacy_records.add_breach"

# The details Art. 33(3) asks for, as (field, what is missing in plain words).
REPORT_FIELDS = (
    ("nature", gettext_lazy("The nature of the breach")),
    ("data_categories", gettext_lazy("The categories of personal data affected")),
    ("people_affected", gettext_lazy("The approximate number of people affected")),
    ("records_affected", gettext_lazy("The approximate number of records affected")),
    ("likely_consequences", gettext_lazy("The likely consequences")),
    ("measures_taken", gettext_lazy("The measures taken or proposed")),
    ("contact_point", gettext_lazy("A contact point for more information")),
)
# What the email to the people affected must say (Art. 34(2)).
NOTICE_FIELDS = ("nature", "likely_consequences", "measures_taken", "contact_point")
EDITABLE_FIELDS = (
    "title",
    "detected_at",
    "occurred_at",
    "nature",
    "data_categories",
    "people_affected",
    "records_affected",
    "likely_consequences",
    "measures_taken",
    "contact_point",
    "advice_to_people",
)


class BreachError(ApplicationError, ValueError):
    """A breach decision or notification the rules do not allow; the message says why."""


# --- Selectors ---------------------------------------------------------------------------------------


def _require(actor, permission: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_staff:
        raise Http404
    if not actor.has_perm(permission):
        raise PermissionDenied


def breaches_for(*, actor) -> list[Breach]:
    """Every breach, with its notification counts (so :func:`breach_clock` needs no query)."""
    _require(actor, VIEW_PERMISSION)
    status = BreachNotification.Status
    return list(
        Breach.objects.annotate(
            sent_count=Count("notifications", filter=Q(notifications__status=status.SENT)),
            pending_count=Count("notifications", filter=Q(notifications__status=status.PENDING)),
        ).order_by(*Breach._meta.ordering)  # an aggregate drops Meta.ordering: keep it
    )


def breach_for(*, actor, pk: int) -> Breach:
    _require(actor, VIEW_PERMISSION)
    breach = Breach.objects.filter(pk=pk).first()
    if breach is None:
        raise Http404
    return breach


@dataclass(frozen=True)
class BreachClock:
    deadline: datetime
    remaining: timedelta  # negative when overdue
    ico_settled: bool  # the ICO was told, or telling it was decided against
    missing: tuple[str, ...]
    people_told: int
    people_pending: int

    @property
    def overdue(self) -> bool:
        return not self.ico_settled and self.remaining.total_seconds() < 0

    @property
    def remaining_text(self) -> str:
        seconds = abs(int(self.remaining.total_seconds()))
        hours, rest = divmod(seconds, 3600)
        values = {"hours": hours, "minutes": rest // 60}
        if self.remaining.total_seconds() < 0:
            return _("overdue by %(hours)s hours %(minutes)s minutes") % values
        return _("%(hours)s hours %(minutes)s minutes left") % values


def breach_clock(breach: Breach, *, now: datetime | None = None) -> BreachClock:
    """The 72-hour deadline counted from detection, and what is still missing."""
    now = now or timezone.now()
    missing = [
        str(label) for name, label in REPORT_FIELDS if getattr(breach, name) in ("", None, [])
    ]
    told = getattr(breach, "sent_count", None)
    if told is None:
        told = breach.notifications.filter(status=BreachNotification.Status.SENT).count()
    pending = getattr(breach, "pending_count", None)
    if pending is None:
        pending = breach.notifications.filter(status=BreachNotification.Status.PENDING).count()
    if breach.ico_decision == Breach.Decision.PENDING:
        missing.append(_("The decision whether to notify the ICO"))
    elif breach.ico_decision == Breach.Decision.NOTIFY and breach.ico_notified_at is None:
        missing.append(_("The date and time the ICO was notified"))
    if _late(breach, now) and not breach.delay_reasons:
        missing.append(_("The reasons for notifying the ICO after 72 hours"))
    if breach.people_decision == Breach.Decision.PENDING:
        missing.append(_("The decision whether to tell the people affected"))
    elif breach.people_decision == Breach.Decision.NOTIFY and not (told or pending):
        missing.append(_("Telling the people affected"))
    settled = breach.ico_decision == Breach.Decision.NOT_REQUIRED or (
        breach.ico_decision == Breach.Decision.NOTIFY and breach.ico_notified_at is not None
    )
    return BreachClock(
        deadline=breach.ico_deadline,
        remaining=breach.ico_deadline - now,
        ico_settled=settled,
        missing=tuple(missing),
        people_told=told,
        people_pending=pending,
    )


def _late(breach: Breach, now: datetime) -> bool:
    if breach.ico_decision != Breach.Decision.NOTIFY:
        return False
    reported = breach.ico_notified_at or now
    return reported > breach.ico_deadline


def notified_people(*, actor, breach: Breach):
    _require(actor, VIEW_PERMISSION)
    return breach.notifications.select_related("user").order_by("id")


# --- Services --------------------------------------------------------------------------------------------


def _clean(values: dict) -> dict:
    unknown = [c for c in values.get("data_categories", []) if c not in CATEGORIES]
    if unknown:
        raise BreachError(_("Unknown data categories: %(keys)s") % {"keys": ", ".join(unknown)})
    if values.get("detected_at") and values["detected_at"] > timezone.now() + timedelta(minutes=5):
        raise BreachError(_("The detection time cannot be in the future."))
    occurred, detected = values.get("occurred_at"), values.get("detected_at")
    if occurred and detected and occurred > detected:
        raise BreachError(_("A breach cannot have happened after it was detected."))
    return values


def breach_record(*, actor, title: str, detected_at: datetime, **details) -> Breach:
    _require(actor, ADD_PERMISSION)
    if not title.strip():
        raise BreachError(_("Give the breach a short title."))
    values = _clean({"title": title.strip(), "detected_at": detected_at, **details})
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise BreachError(
            _("Unknown breach details: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    values.setdefault("contact_point", f"{settings.DPO_NAME}, {settings.DPO_EMAIL}")
    with transaction.atomic(durable=True):
        breach = Breach.objects.create(recorded_by=actor, **values)
        audit_record(
            action=Action.BREACH_RECORDED,
            actor=actor,
            target=breach,
            payload={"detected_at": breach.detected_at.isoformat()},
        )
    return breach


def breach_update(*, breach: Breach, actor, **changes) -> list[str]:
    """Change the breach's details; returns the names of the fields that changed."""
    _require(actor, CHANGE_PERMISSION)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise BreachError(
            _("Unknown breach details: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    merged = {name: changes.get(name, getattr(breach, name)) for name in EDITABLE_FIELDS}
    if not str(merged["title"]).strip():
        raise BreachError(_("Give the breach a short title."))
    _clean(merged)
    changed = [name for name, value in changes.items() if getattr(breach, name) != value]
    if not changed:
        return []
    with transaction.atomic(durable=True):
        for name in changed:
            setattr(breach, name, changes[name])
        breach.save(update_fields=[*changed, "updated_at"])
        audit_record(
            action=Action.BREACH_UPDATED, actor=actor, target=breach, payload={"changed": changed}
        )
    return changed


def breach_decide_ico(
    *,
    breach: Breach,
    actor,
    decision: str,
    reasons: str,
    notified_at: datetime | None = None,
    reference: str = "",
    delay_reasons: str = "",
) -> Breach:
    """Record whether the ICO is (or was) notified, why, and any reasons for delay."""
    _require(actor, CHANGE_PERMISSION)
    if decision not in (Breach.Decision.NOTIFY, Breach.Decision.NOT_REQUIRED):
        raise BreachError(_("Choose whether the ICO must be notified."))
    if not reasons.strip():
        raise BreachError(_("Give the reasons for the decision: the record must show them."))
    if decision == Breach.Decision.NOT_REQUIRED and (notified_at or reference):
        raise BreachError(_("A breach the ICO need not be told about has no notification date."))
    if notified_at is not None:
        if notified_at < breach.detected_at:
            raise BreachError(
                _("The ICO cannot have been notified before the breach was detected.")
            )
        if notified_at > timezone.now() + timedelta(minutes=5):
            raise BreachError(_("The notification time cannot be in the future."))
    late = (
        decision == Breach.Decision.NOTIFY and (notified_at or timezone.now()) > breach.ico_deadline
    )
    if late and notified_at is not None and not delay_reasons.strip():
        raise BreachError(
            _(
                "The ICO was notified more than 72 hours after detection: give the reasons for "
                "the delay (UK GDPR Art. 33(1))."
            )
        )
    with transaction.atomic(durable=True):
        breach.ico_decision = decision
        breach.ico_decision_reasons = reasons.strip()
        breach.ico_notified_at = notified_at
        breach.ico_reference = reference.strip()
        breach.delay_reasons = delay_reasons.strip()
        breach.save()
        audit_record(
            action=Action.BREACH_UPDATED,
            actor=actor,
            target=breach,
            payload={
                "ico_decision": decision,
                "ico_notified_at": notified_at.isoformat() if notified_at else None,
                "late": late,
            },
        )
    return breach


def breach_decide_people(*, breach: Breach, actor, decision: str, reasons: str) -> Breach:
    """Record whether the people affected must be told (Art. 34) and why."""
    _require(actor, CHANGE_PERMISSION)
    if decision not in (Breach.Decision.NOTIFY, Breach.Decision.NOT_REQUIRED):
        raise BreachError(_("Choose whether the people affected must be told."))
    if not reasons.strip():
        raise BreachError(_("Give the reasons for the decision: the record must show them."))
    if decision == Breach.Decision.NOT_REQUIRED and breach.notifications.exists():
        raise BreachError(_("People have already been told about this breach."))
    with transaction.atomic(durable=True):
        breach.people_decision = decision
        breach.people_decision_reasons = reasons.strip()
        breach.save(update_fields=["people_decision", "people_decision_reasons", "updated_at"])
        audit_record(
            action=Action.BREACH_UPDATED,
            actor=actor,
            target=breach,
            payload={"people_decision": decision},
        )
    return breach


def breach_notify_people(*, breach: Breach, actor, users: Iterable) -> int:
    """Queue the email to each person affected who has not been told yet; returns how many were
    queued. Sending happens in a task, after the transaction commits."""
    _require(actor, CHANGE_PERMISSION)
    if breach.people_decision != Breach.Decision.NOTIFY:
        raise BreachError(_("Record the decision to tell the people affected first."))
    missing = [name for name in NOTICE_FIELDS if not getattr(breach, name)]
    if missing:
        labels = dict(REPORT_FIELDS)
        raise BreachError(
            _("The notice must describe: %(missing)s. Fill these in first.")
            % {"missing": "; ".join(str(labels[name]).lower() for name in missing)}
        )
    users = list(users)
    if not users:
        raise BreachError(_("Nobody to tell: choose the people affected."))
    with transaction.atomic(durable=True):
        existing = set(breach.notifications.values_list("user_id", flat=True))
        now = timezone.now()
        new = [
            BreachNotification(breach=breach, user=u, created_at=now)
            for u in {u.pk: u for u in users}.values()
            if u.pk not in existing
        ]
        BreachNotification.objects.bulk_create(new, ignore_conflicts=True)
        audit_record(
            action=Action.BREACH_UPDATED,
            actor=actor,
            target=breach,
            payload={"people_queued": len(new), "already_told_or_queued": len(users) - len(new)},
        )
        if new:
            from learnward.privacy.records.tasks import send_breach_notifications

            transaction.on_commit(lambda: send_breach_notifications.enqueue(breach_id=breach.pk))
    return len(new)


def affected_users_from_emails(text: str) -> tuple[list, list[str]]:
    """Accounts for the addresses in ``text`` (one per line or comma-separated), and the
    addresses that match no account."""
    user_model = get_user_model()
    addresses = []
    for part in text.replace(",", "\n").splitlines():
        address = part.strip().lower()
        if address and address not in addresses:
            addresses.append(address)
    found = {u.email.lower(): u for u in user_model.objects.filter(email__in=addresses)}
    return [found[a] for a in addresses if a in found], [a for a in addresses if a not in found]


def all_account_holders():
    user_model = get_user_model()
    return user_model.objects.exclude(status=user_model.Status.CLOSED).filter(is_staff=False)


def _send_breach_notice(breach: Breach, user) -> None:
    """The notice to one person, in their saved language (the subject, the text, the
    supervisory authority's name and address)."""
    from learnward.privacy.records.authority import supervisory_authority

    with use_language(user.language):
        subject = _("Important: a data breach at %(provider)s affects you") % {
            "provider": settings.PROVIDER_NAME
        }
        send_service_email(
            to=user.email,
            subject=subject,
            template="privacy/email/breach_notice",
            context={"breach": breach, "user": user, "authority": supervisory_authority()},
            language=user.language,
        )


def breach_send_notifications(*, breach_id: int) -> int:
    """Email everyone queued for this breach who has not been emailed. Each send and its record
    share a transaction, so a person is marked told only once the message was accepted."""
    breach = Breach.objects.filter(pk=breach_id).first()
    if breach is None:
        return 0
    sent = 0
    pending = breach.notifications.filter(status=BreachNotification.Status.PENDING)
    for notification_id in list(pending.values_list("pk", flat=True)):
        with transaction.atomic():
            notification = (
                BreachNotification.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("user")
                .filter(pk=notification_id, status=BreachNotification.Status.PENDING)
                .first()
            )
            if notification is None:
                continue
            if notification.user is None:
                notification.delete()
                continue
            _send_breach_notice(breach, notification.user)
            notification.status = BreachNotification.Status.SENT
            notification.sent_at = timezone.now()
            notification.save(update_fields=["status", "sent_at"])
            audit_record(
                action=Action.BREACH_SUBJECTS_NOTIFIED,
                subject=notification.user,
                target=breach,
                payload={"breach": breach.pk},
            )
            sent += 1
    return sent
