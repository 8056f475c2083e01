"""Staff pages under /staff/integrations/: API tokens (create, shown once; revoke) and webhook
subscriptions (create, secret shown once; rotate; disable or enable; the delivery log). For staff
with the power to manage integrations (``integrations.manage_integrations``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.core.access import staff_required

from . import selectors, services
from .forms import TokenForm, WebhookForm
from .services import STAFF_RULE


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _home(request, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "tokens": selectors.staff_tokens(actor=request.user),
        "webhooks": selectors.staff_webhooks(actor=request.user),
        "token_form": extra.pop("token_form", None) or TokenForm(prefix="token"),
        "webhook_form": extra.pop("webhook_form", None) or WebhookForm(prefix="webhook"),
        **extra,
    }
    return _private(render(request, "integrations/staff/home.html", context, status=status))


@staff_required(STAFF_RULE)
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


def _apply_error(form, exc: services.IntegrationError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@staff_required(STAFF_RULE)
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, prefix="token")
    if form.is_valid():
        try:
            token, text = services.api_token_create(actor=request.user, **form.cleaned_data)
        except services.IntegrationError as exc:
            _apply_error(form, exc)
        else:
            # Shown on this answer only: never stored, never in a redirect or a message.
            return _private(
                render(
                    request,
                    "integrations/staff/token_created.html",
                    {"token": token, "text": text},
                )
            )
    return _home(request, status=400, token_form=form)


@staff_required(STAFF_RULE)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.staff_token(actor=request.user, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(
        request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("integrations_staff:home")


@staff_required(STAFF_RULE)
@require_POST
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST, prefix="webhook")
    if form.is_valid():
        try:
            subscription, secret = services.webhook_create(actor=request.user, **form.cleaned_data)
        except services.IntegrationError as exc:
            _apply_error(form, exc)
        else:
            return _webhook_page(request, subscription, secret=secret)
    return _home(request, status=400, webhook_form=form)


def _webhook_page(request, subscription, *, secret: str = "") -> HttpResponse:
    context = {
        "subscription": subscription,
        "deliveries": selectors.staff_deliveries(actor=request.user, subscription=subscription),
        "secret": secret,
    }
    return _private(render(request, "integrations/staff/webhook.html", context))


@staff_required(STAFF_RULE)
def webhook(request: HttpRequest, pk: int) -> HttpResponse:
    return _webhook_page(request, selectors.staff_webhook(actor=request.user, pk=pk))


@staff_required(STAFF_RULE)
@require_POST
def webhook_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = selectors.staff_webhook(actor=request.user, pk=pk)
    secret = services.webhook_rotate_secret(actor=request.user, subscription=subscription)
    subscription.refresh_from_db()
    return _webhook_page(request, subscription, secret=secret)


@staff_required(STAFF_RULE)
@require_POST
def webhook_active(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = selectors.staff_webhook(actor=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.webhook_set_active(actor=request.user, subscription=subscription, active=active)
    except services.IntegrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Enabled again.") if active else _("Disabled."))
    return redirect("integrations_staff:webhook", pk=subscription.pk)
