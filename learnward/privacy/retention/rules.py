"""Retention rules and their periods: which rules exist (only those declared in the registry),
how long each keeps rows (the declared default, a LEARNWARD_RETENTION_*_MONTHS variable, or a
period set in the admin, never below the rule's minimum), and the audit of every change."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.privacy.registry import Declaration, RetentionAction, declarations
from learnward.privacy.retention.models import RetentionOverride, RetentionPeriodState

ACCOUNT_ERASE = "erase account"


class RetentionConfigError(ApplicationError, ValueError):
    """A retention period is set below what its rule allows, or a rule cannot be applied."""


class RetentionBusy(ApplicationError, RuntimeError):
    """Another retention run holds the lock."""


# --- Rules and periods --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    declaration: Declaration

    @property
    def key(self) -> str:
        return self.declaration.key

    @property
    def retention(self):
        return self.declaration.retention

    @property
    def model(self) -> type[models.Model]:
        return self.declaration.model

    @property
    def label(self) -> str:
        return self.declaration.display_label

    @property
    def is_account_rule(self) -> bool:
        return (
            self.model is get_user_model()
            and self.declaration.subject == "pk"
            and self.retention.action == RetentionAction.DELETE
        )

    @property
    def action(self) -> str:
        return ACCOUNT_ERASE if self.is_account_rule else self.retention.action.value


def retention_rules() -> list[Rule]:
    return [Rule(d) for d in declarations() if d.retention is not None]


def rule_for(key: str) -> Rule:
    for rule in retention_rules():
        if rule.key == key:
            return rule
    raise RetentionConfigError(f"{key} has no retention rule in the registry")


@dataclass(frozen=True)
class Period:
    months: int
    source: str  # "default", "setting" or "admin"
    default: int
    minimum: int
    setting: str


def _setting_months(rule: Rule) -> int | None:
    name = rule.retention.setting
    if not name:
        return None
    value = getattr(settings, "RETENTION_MONTHS", {}).get(name)
    return None if value is None else int(value)


def effective_period(rule: Rule, *, overrides: dict[str, int] | None = None) -> Period:
    retention = rule.retention
    if overrides is None:
        overrides = dict(RetentionOverride.objects.values_list("rule", "months"))
    months, source = retention.months, "default"
    from_setting = _setting_months(rule)
    if from_setting is not None:
        months, source = from_setting, "setting"
    if rule.key in overrides:
        months, source = overrides[rule.key], "admin"
    ceiling = rule.declaration.retention_ceiling
    if ceiling is not None and months > ceiling[0]:
        raise RetentionConfigError(
            f"{rule.key}: the retention period set in {_where(source, retention)} is {months} "
            f"months, above the {ceiling[0]} months that {ceiling[1].lower()} may be kept."
        )
    if months < retention.minimum_months:
        where = _where(source, retention)
        raise RetentionConfigError(
            f"{rule.key}: the retention period set in {where} is {months} months, below the "
            f"minimum of {retention.minimum_months} months that this rule allows."
        )
    return Period(months, source, retention.months, retention.minimum_months, retention.setting)


def effective_periods() -> dict[str, Period]:
    overrides = dict(RetentionOverride.objects.values_list("rule", "months"))
    return {r.key: effective_period(r, overrides=overrides) for r in retention_rules()}


def _where(source: str, retention) -> str:
    if source == "setting":
        return f"the environment variable {retention.setting}"
    return "the admin (retention overrides)" if source == "admin" else "the registry"


def describe_period(rule: Rule, period: Period) -> str:
    """The rule's description, with the period as configured when it differs from the default;
    in the active language (the privacy notice and the records of processing show it)."""
    from django.utils.translation import gettext

    text = str(rule.retention.description)
    if period.months != period.default:
        text = gettext("%(description)s (the provider has set this period to %(period)s)") % {
            "description": text,
            "period": _months_text(period.months),
        }
    return text


def _months_text(months: int) -> str:
    from django.utils.translation import ngettext

    if months % 12 == 0:
        years = months // 12
        return ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    return ngettext("%(count)s month", "%(count)s months", months) % {"count": months}


def retention_override_set(*, key: str, months: int | None, actor, reason: str = "") -> Period:
    """Set (or, with ``months=None``, remove) the admin period for a rule. Refuses a period below
    the rule's minimum with a clear message; audits the change."""
    rule = rule_for(key)
    if months is not None and months < 0:
        raise RetentionConfigError("A retention period cannot be negative.")
    if months is not None and months < rule.retention.minimum_months:
        raise RetentionConfigError(
            f"{rule.label}: {months} months is below the minimum of "
            f"{rule.retention.minimum_months} months for this rule."
        )
    ceiling = rule.declaration.retention_ceiling
    if months is not None and ceiling is not None and months > ceiling[0]:
        raise RetentionConfigError(
            f"{rule.label}: {months} months is above the {ceiling[0]} months that "
            f"{ceiling[1].lower()} may be kept."
        )
    with transaction.atomic():
        before = effective_period(rule)
        if months is None:
            RetentionOverride.objects.filter(rule=key).delete()
        else:
            RetentionOverride.objects.update_or_create(
                rule=key,
                defaults={
                    "months": months,
                    "reason": reason,
                    "changed_by": actor,
                    "changed_at": timezone.now(),
                },
            )
        after = effective_period(rule)
        _record_period(rule, before=before, after=after, actor=actor)
    return after


def _record_period(rule: Rule, *, before: Period | None, after: Period, actor) -> bool:
    """Remember ``after`` as the rule's period and audit it if it differs from what was in force
    (``before`` when the caller knows it, else the last period recorded, else the default)."""
    state = RetentionPeriodState.objects.filter(rule=rule.key).first()
    if before is not None:
        previous = (before.months, before.source)
    elif state is not None:
        previous = (state.months, state.source)
    else:
        previous = (rule.retention.months, "default")
    RetentionPeriodState.objects.update_or_create(
        rule=rule.key,
        defaults={"months": after.months, "source": after.source, "recorded_at": timezone.now()},
    )
    if previous == (after.months, after.source):
        return False
    audit_record(
        action=Action.RETENTION_SETTING_CHANGED,
        actor=actor,
        payload={
            "rule": rule.key,
            "from_months": previous[0],
            "from_source": previous[1],
            "to_months": after.months,
            "to_source": after.source,
        },
    )
    return True


def retention_record_period_changes(*, actor=None) -> list[str]:
    """Audit every effective period that changed since it was last recorded (an environment
    variable changed, or a rule's default changed in code). Returns the rule keys that changed."""
    changed = []
    overrides = dict(RetentionOverride.objects.values_list("rule", "months"))
    states = {s.rule: (s.months, s.source) for s in RetentionPeriodState.objects.all()}
    for rule in retention_rules():
        period = effective_period(rule, overrides=overrides)
        if states.get(rule.key) == (period.months, period.source):
            continue
        with transaction.atomic():
            if _record_period(rule, before=None, after=period, actor=actor):
                changed.append(rule.key)
    return changed
