"""What a retention rule finds due: rule validation, cutoffs, due rows, and the plan's rows.

Shared by the engine (:mod:`.services`) and the account rule (:mod:`.accounts`).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone

from learnward.privacy.consent.selectors import restricted_user_ids
from learnward.privacy.registry import RetentionAction
from learnward.privacy.retention.models import RetentionOverride
from learnward.privacy.retention.rules import (
    Period,
    RetentionConfigError,
    Rule,
    effective_period,
    retention_rules,
)

# --- Rule validation --------------------------------------------------------------------------------


def _resolve(model: type[models.Model], path: str) -> models.Field:
    field_ = None
    for part in path.split("__"):
        field_ = model._meta.get_field(part)
        if field_.is_relation and field_.related_model is not None:
            model = field_.related_model
    return field_


def _is_date_only(field_: models.Field) -> bool:
    return isinstance(field_, models.DateField) and not isinstance(field_, models.DateTimeField)


def anonymised_value(field_: models.Field):
    """What anonymising writes: null where allowed, else an empty string for text, else the
    field's default (a flag such as "share my comments" falls back to its default, off)."""
    if field_.null:
        return None
    if isinstance(field_, models.CharField | models.TextField):
        return ""
    if field_.has_default() and not callable(field_.default):
        return field_.default
    raise RetentionConfigError(
        f"{field_.model._meta.label}.{field_.name} cannot be anonymised: it is not nullable, "
        "not text and has no fixed default"
    )


def retention_problems() -> list[str]:
    """Rules the engine could not apply, and periods below their minimum. Empty when all is well."""
    problems = []
    overrides = dict(RetentionOverride.objects.values_list("rule", "months"))
    for rule in retention_rules():
        retention = rule.retention
        try:
            anchor = _resolve(rule.model, retention.anchor)
            if not isinstance(anchor, models.DateField):
                problems.append(f"{rule.key}: anchor {retention.anchor} is not a date or time")
        except FieldDoesNotExist:
            problems.append(f"{rule.key}: anchor {retention.anchor} does not exist")
        if retention.action == RetentionAction.ANONYMISE:
            if not retention.fields:
                problems.append(f"{rule.key}: an anonymise rule must name the fields it clears")
            for name in retention.fields:
                try:
                    anonymised_value(rule.model._meta.get_field(name))
                except FieldDoesNotExist:
                    problems.append(f"{rule.key}: anonymise field {name} does not exist")
                except RetentionConfigError as exc:
                    problems.append(str(exc))
        try:
            effective_period(rule, overrides=overrides)
        except RetentionConfigError as exc:
            problems.append(str(exc))
    return problems


# --- Cutoffs and due rows -------------------------------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, monthrange(year, month)[1]))


def cutoff_for(rule: Rule, period: Period, now: datetime) -> datetime:
    """Rows whose anchor is before this moment are due."""
    if rule.retention.days and period.source == "default":
        return now - timedelta(days=rule.retention.days)
    return months_before(now, period.months)


def cutoff_value(rule: Rule, cutoff: datetime) -> date | datetime:
    anchor = _resolve(rule.model, rule.retention.anchor)
    return timezone.localtime(cutoff).date() if _is_date_only(anchor) else cutoff


def not_yet_anonymised(rule: Rule) -> Q:
    """Rows where any of the rule's fields still differs from its anonymised value."""
    q = Q()
    for name in rule.retention.fields:
        field_ = rule.model._meta.get_field(name)
        value = anonymised_value(field_)
        q |= Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
    return q


def held_subject_ids() -> list[int]:
    """Learners whose data must be kept whatever its age: processing restricted at their request
    or by the DPO (UK GDPR Art. 18: for example kept for a legal claim)."""
    return list(restricted_user_ids())


def due_queryset(rule: Rule, cutoff: datetime, *, held: list[int] | None = None):
    retention = rule.retention
    qs = rule.model._default_manager.filter(**dict(retention.filter)).filter(
        **{f"{retention.anchor}__lt": cutoff_value(rule, cutoff)}
    )
    if retention.action == RetentionAction.ANONYMISE:
        qs = qs.filter(not_yet_anonymised(rule))
    subject = rule.declaration.subject
    if held and subject:
        qs = qs.exclude(**{f"{subject}__in": held})
    return qs


# --- The plan (dry run) -----------------------------------------------------------------------------------


@dataclass
class Keep:
    count: int | None
    reason: str


@dataclass
class RulePlan:
    key: str
    label: str
    action: str  # "delete", "anonymise", "erase account" or "keep"
    description: str
    months: int | None = None
    source: str = ""
    cutoff: datetime | None = None
    due: int = 0
    keeps: list[Keep] = field(default_factory=list)
    partitions: list[str] = field(default_factory=list)
    warnings_to_send: int = 0

    def as_dict(self) -> dict:
        return {
            "model": self.key,
            "label": self.label,
            "action": self.action,
            "rule": self.description,
            "months": self.months,
            "period_source": self.source or None,
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "due": self.due,
            "partitions_to_drop": self.partitions,
            "warnings_to_send": self.warnings_to_send,
            "kept": [{"rows": k.count, "reason": k.reason} for k in self.keeps],
        }
