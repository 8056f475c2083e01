"""The guardian's page (agree or refuse, no account needed) and the learner's resend button."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import guardian, limits
from .forms import GuardianDecisionForm, GuardianResendForm
from .models import User

_LINK_STATUS = {"invalid": 400, "expired": 400, "answered": 200, "changed": 409}


def status_context(request: HttpRequest, *, resend_form: GuardianResendForm | None = None) -> dict:
    """What the status page shows a learner waiting for their guardian."""
    user = request.user
    if user.status != User.Status.PENDING_GUARDIAN:
        return {}
    request_row = guardian.guardian_request_for_user(user=user)
    initial = {"guardian_email": request_row.guardian_email} if request_row else {}
    return {
        "guardian_request": request_row,
        "guardian_form": resend_form or GuardianResendForm(initial=initial),
        "guardian_days": settings.GUARDIAN_CONSENT_DAYS,
    }


@login_required
@require_POST
def guardian_resend(request: HttpRequest) -> HttpResponse:
    if request.user.status != User.Status.PENDING_GUARDIAN:
        return redirect("accounts:status")
    form = GuardianResendForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            guardian.guardian_request_resend(
                user=request.user, guardian_email=form.cleaned_data["guardian_email"]
            )
        except guardian.GuardianEmailInvalid as exc:
            form.add_error("guardian_email", str(exc))
        except limits.RateLimited:
            form.add_error(None, _("You have sent this email several times. Try again in an hour."))
            status = 429
        except ValueError:
            form.add_error(
                None,
                _(
                    "The time for your parent or guardian to answer has run out, so this account "
                    "will be deleted. You can sign up again."
                ),
            )
        else:
            messages.success(
                request,
                _("We have emailed your parent or guardian again. It may take a few minutes."),
            )
            return redirect("accounts:status")
    context = status_context(request, resend_form=form)
    return render(request, "accounts/status.html", context, status=status)


def _link_failed(request: HttpRequest, exc: guardian.GuardianLinkError, *, post: bool):
    status = _LINK_STATUS.get(exc.reason, 400)
    if exc.reason == "answered" and post:
        status = 409
    context = {"reason": exc.reason, "request_row": exc.request}
    return render(request, "accounts/guardian_failed.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def guardian_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's page: what the account involves, and a choice to agree or refuse."""
    post = request.method == "POST"
    try:
        request_row = guardian.guardian_request_for_token(token=token)
    except guardian.GuardianLinkError as exc:
        return _link_failed(request, exc, post=post)
    learner = request_row.user
    if request.user.is_authenticated and request.user.pk == learner.pk:
        # The learner cannot answer for their guardian from their own account.
        return render(
            request, "accounts/guardian_failed.html", {"reason": "own_account"}, status=403
        )
    wording = guardian.guardian_wording(learner_name=learner.display_name)
    form = GuardianDecisionForm(
        request.POST if post else None, initial={"version": wording.version}
    )
    status, notice = 200, ""
    if post:
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "agree":
                    guardian.guardian_consent_give(
                        token=token, version=form.cleaned_data["version"]
                    )
                else:
                    guardian.guardian_consent_refuse(token=token)
            except guardian.GuardianLinkError as exc:
                if exc.reason != "changed":
                    return _link_failed(request, exc, post=True)
                form = GuardianDecisionForm(initial={"version": wording.version})
                notice = _(
                    "We have updated what the account involves since this page was opened. "
                    "Please read it again, then choose."
                )
                status = 409
            else:
                return render(
                    request,
                    "accounts/guardian_done.html",
                    {
                        "agreed": form.cleaned_data["decision"] == "agree",
                        "name": learner.display_name,
                    },
                )
        else:
            status = 400
    context = {
        "form": form,
        "name": learner.display_name,
        "wording": wording,
        "expires_at": request_row.expires_at,
        "age": settings.GUARDIAN_CONSENT_BELOW,
        "notice": notice,
    }
    return render(request, "accounts/guardian_consent.html", context, status=status)
