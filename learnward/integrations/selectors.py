"""Reads for integrations. Staff pages need the power to manage integrations; the API's reads
are limited by the token's scopes (learnward.integrations.api)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from learnward.catalog.models import Course
from learnward.certificates.models import Certificate
from learnward.core.access import staff_powers
from learnward.core.errors import ApplicationError
from learnward.learning.models import Completion

from .models import ApiInvitation, ApiToken, Scope, WebhookDelivery, WebhookSubscription
from .services import STAFF_RULE, invitation_token_hash


def _require(actor) -> None:
    if not staff_powers(actor, STAFF_RULE):
        raise Http404


def staff_tokens(*, actor) -> QuerySet[ApiToken]:
    _require(actor)
    return ApiToken.objects.select_related("created_by")


def staff_token(*, actor, pk: int) -> ApiToken:
    _require(actor)
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def staff_webhooks(*, actor) -> QuerySet[WebhookSubscription]:
    _require(actor)
    return WebhookSubscription.objects.all()


def staff_webhook(*, actor, pk: int) -> WebhookSubscription:
    _require(actor)
    subscription = WebhookSubscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise Http404
    return subscription


def staff_deliveries(*, actor, subscription: WebhookSubscription, limit: int = 50):
    _require(actor)
    return list(WebhookDelivery.objects.filter(subscription=subscription)[:limit])


def invitation_by_token(*, token: str) -> ApiInvitation | None:
    """The invitation a link's token opens (the token is the credential)."""
    return (
        ApiInvitation.objects.select_related("course")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


# --- the API's reads: a live token with the scope sees the provider's records ---------------------


class ScopeMissing(ApplicationError):
    """The token lacks the scope this read needs (the API answers 403 before it gets here)."""


def _require_scope(token: ApiToken, scope: Scope) -> None:
    if scope.value not in (token.scopes or []):
        raise ScopeMissing(scope.value)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def api_courses(*, token: ApiToken) -> QuerySet[Course]:
    _require_scope(token, Scope.READ_COURSES)
    return Course.objects.filter(published=True).order_by("title", "id")


def api_completions(
    *, token: ApiToken, since: date | None, until: date | None, course: Course | None
) -> QuerySet[Completion]:
    """Completions from ``since`` to ``until`` (the site's local days, inclusive)."""
    _require_scope(token, Scope.READ_RECORDS)
    completions = Completion.objects.select_related("enrolment__user", "enrolment__course")
    if since:
        completions = completions.filter(completed_at__gte=_day_start(since))
    if until:
        completions = completions.filter(completed_at__lt=_day_start(until + timedelta(days=1)))
    if course is not None:
        completions = completions.filter(enrolment__course=course)
    return completions


def api_certificates(
    *, token: ApiToken, since: date | None, until: date | None, course: Course | None
) -> QuerySet[Certificate]:
    """Certificates awarded from ``since`` to ``until`` (inclusive)."""
    _require_scope(token, Scope.READ_RECORDS)
    certificates = Certificate.objects.select_related("user", "course")
    if since:
        certificates = certificates.filter(awarded_on__gte=since)
    if until:
        certificates = certificates.filter(awarded_on__lte=until)
    if course is not None:
        certificates = certificates.filter(course=course)
    return certificates
