"""Reads for integrations. Staff pages need the power to manage integrations; the API's reads
are limited by the token's scopes (learnward.integrations.api)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from learnward.core.access import staff_powers

from .models import ApiInvitation, ApiToken, WebhookDelivery, WebhookSubscription
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
