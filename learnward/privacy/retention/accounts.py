"""Account retention: warn, then erase; or keep the account if its owner comes back.

The account rule (the user model's ``Retention``) is applied differently from the others:

- a learner whose account will reach the end of its period within
  ``LEARNWARD_RETENTION_WARNING_DAYS`` (30) gets one email per deactivation, with a link to log in
  and keep the account;
- an account is erased only when its period is over *and* it was warned at least that many days
  before, so nobody loses an account without notice, even on the first run of a new install;
- erasure goes through ``learnward.privacy.rights.erasure.subject_erase``, which keeps certificates as
  limited records and does everything else the registry says erasure does;
- keeping the account reactivates it, which clears the deactivation date the rule counts from.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.accounts.services import user_reactivate
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import send_service_email
from learnward.privacy.retention.due import Keep, RulePlan, cutoff_for, due_queryset, months_before
from learnward.privacy.retention.models import RetentionWarning
from learnward.privacy.retention.rules import ACCOUNT_ERASE, Period, Rule
from learnward.privacy.rights.erasure import subject_erase
from learnward.privacy.rights.services import account_deletion_cancel


def warning_days() -> int:
    return getattr(settings, "RETENTION_WARNING_DAYS", 30)


def _anchor(rule: Rule) -> str:
    return rule.retention.anchor


def _warned(rule: Rule, *, sent_before: datetime, due_by: datetime) -> Exists:
    return Exists(
        RetentionWarning.objects.filter(
            user=OuterRef("pk"),
            anchor=OuterRef(_anchor(rule)),
            sent_at__isnull=False,
            sent_at__lte=sent_before,
            deletion_due_at__lte=due_by,
        )
    )


def _closed(rule: Rule) -> Q:
    """Closed accounts cannot sign in to keep themselves, so they are not warned."""
    status = getattr(rule.model, "Status", None)
    if status is None or not hasattr(status, "CLOSED"):
        return Q(pk__in=[])
    return Q(status=status.CLOSED)


def accounts_due(rule: Rule, *, cutoff: datetime, now: datetime, held: list[int]):
    """Accounts past their period whose owner was warned long enough ago (or that are closed)."""
    return due_queryset(rule, cutoff, held=held).filter(
        _closed(rule)
        | Q(_warned(rule, sent_before=now - timedelta(days=warning_days()), due_by=now))
    )


def accounts_to_warn(rule: Rule, period: Period, *, now: datetime, held: list[int]):
    """Accounts that reach the end of their period within the warning window and have not been
    sent a warning about their current deactivation."""
    soon = cutoff_for(rule, period, now + timedelta(days=warning_days()))
    already = RetentionWarning.objects.filter(
        user=OuterRef("pk"), anchor=OuterRef(_anchor(rule)), sent_at__isnull=False
    )
    return due_queryset(rule, soon, held=held).exclude(_closed(rule)).exclude(Exists(already))


def plan_accounts(
    rule: Rule, plan: RulePlan, *, cutoff: datetime, now: datetime, held: list[int]
) -> None:
    period = Period(plan.months, plan.source, rule.retention.months, 0, "")
    past_period = due_queryset(rule, cutoff, held=held)
    due = accounts_due(rule, cutoff=cutoff, now=now, held=held)
    plan.due = due.count()
    plan.warnings_to_send = accounts_to_warn(rule, period, now=now, held=held).count()
    waiting = past_period.count() - plan.due
    if waiting:
        plan.keeps.append(
            Keep(
                waiting,
                f"period over, but the owner was warned less than {warning_days()} days ago "
                "or has not been warned yet: deleted "
                f"{warning_days()} days after the warning",
            )
        )
    model = rule.model
    active = model._default_manager.exclude(pk__in=past_period.values("pk")).count()
    plan.keeps.append(Keep(active, "account in use, or deactivated less recently than the period"))
    if held:
        on_hold = (
            model._default_manager.filter(**dict(rule.retention.filter))
            .filter(**{f"{_anchor(rule)}__lt": cutoff, "pk__in": held})
            .count()
        )
        if on_hold:
            plan.keeps.append(Keep(on_hold, "processing restricted at the learner's request"))


def send_warnings(rule: Rule, period: Period, *, now: datetime, held: list[int]) -> int:
    """Email every learner due a warning. Idempotent: one warning per account and anchor."""
    sent = 0
    anchor = _anchor(rule)
    for user in accounts_to_warn(rule, period, now=now, held=held).order_by("pk").iterator():
        anchor_value = getattr(user, anchor)
        deletion_due_at = max(
            months_before(anchor_value, -period.months), now + timedelta(days=warning_days())
        )
        with transaction.atomic():
            warning, _created = RetentionWarning.objects.get_or_create(
                user=user,
                anchor=anchor_value,
                defaults={"deletion_due_at": deletion_due_at, "created_at": timezone.now()},
            )
        # Sent outside the transaction: if sending fails the warning stays unsent and the
        # account is not deleted; the next run sends it again. In the learner's language.
        with use_language(user.language):
            send_service_email(
                to=user.email,
                subject=_("Your %(provider)s account will be deleted soon")
                % {"provider": settings.PROVIDER_NAME},
                template="privacy/email/retention_warning",
                context={
                    "user": user,
                    "deletion_date": timezone.localtime(warning.deletion_due_at).date(),
                    "keep_url": absolute_url(reverse("privacy:keep_account")),
                    "days": warning_days(),
                },
                language=user.language,
            )
        RetentionWarning.objects.filter(pk=warning.pk).update(sent_at=timezone.now())
        sent += 1
    return sent


def run_accounts(runner, rule: Rule, period: Period, now: datetime, held: list[int]) -> None:
    cutoff = cutoff_for(rule, period, now)
    stats = runner.rule_stats(rule, period, cutoff)
    stats.setdefault("warnings_sent", 0)
    stats["warnings_sent"] += send_warnings(rule, period, now=now, held=held)
    due = accounts_due(rule, cutoff=cutoff, now=now, held=held)
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    runner.progress.start(rule.key, rule.label, len(ids))
    model = rule.model
    for user_id in ids:

        def work(user_id=user_id):
            # Re-read under the batch's transaction: the learner may have come back meanwhile.
            user = due.filter(pk=user_id).select_for_update().first()
            if user is None:
                return 0
            subject_erase(
                user=user,
                actor=None,
                reason=f"Retention: {rule.retention.description} ({ACCOUNT_ERASE})",
            )
            return 0 if model._default_manager.filter(pk=user_id).exists() else 1

        runner.batch(rule, stats, work)
    runner.progress.finish(rule.key)


# --- Keeping the account --------------------------------------------------------------------------


def account_deletion_pending(*, user) -> RetentionWarning | None:
    """The warning a signed-in learner can act on, if their account is due for deletion."""
    anchor_value = getattr(user, "deactivated_at", None)
    if anchor_value is None:
        return None
    return (
        RetentionWarning.objects.filter(user=user, anchor=anchor_value)
        .order_by("-created_at")
        .first()
    )


def account_keep(*, user) -> bool:
    """The learner keeps their account: reactivate it, which clears the deactivation date the
    retention rule counts from. Returns False when there was nothing to keep."""
    if getattr(user, "deactivated_at", None) is None:
        return False
    with transaction.atomic(durable=True):
        # A pending "Delete my account" is cancelled the way the learner would cancel it.
        if account_deletion_cancel(user=user):
            return True
        user_reactivate(user=user, actor=user)
    return True
