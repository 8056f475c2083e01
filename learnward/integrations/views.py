"""The page an invitation made through the API opens: sign up or sign in with the invited
address, then accept (a POST) and be enrolled."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from learnward.accounts.signup_prefill import signup_prefill_set
from learnward.core.mail import normalise_email

from . import selectors, services


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.invitation_by_token(token=token)
    problem = services.invitation_problem(found)
    context = {"invitation": found, "problem": problem, "token": token}
    if problem:
        return _private(render(request, "integrations/invitation.html", context, status=404))
    user = request.user
    context["matches"] = user.is_authenticated and normalise_email(user.email) == found.email
    context["unverified"] = user.is_authenticated and user.email_verified_at is None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            accepted = services.api_invitation_accept(token=token, user=user)
        except services.IntegrationError as exc:
            context["error"] = exc.message
            return _private(render(request, "integrations/invitation.html", context, status=400))
        if accepted.enrolled:
            messages.success(
                request,
                _("You are enrolled on %(title)s.") % {"title": accepted.course.title},
            )
        else:
            messages.success(
                request,
                _("Enrol on %(title)s from its page: it asks for a few details first.")
                % {"title": accepted.course.title},
            )
        return redirect(accepted.course.get_absolute_url())
    return _private(render(request, "integrations/invitation.html", context))


def invitation_signup(request: HttpRequest, token: str) -> HttpResponse:
    """Start a sign-up for the invited address, coming back to the invitation afterwards."""
    found = selectors.invitation_by_token(token=token)
    if services.invitation_problem(found):
        raise Http404
    if request.user.is_authenticated:
        return redirect("integrations:invitation", token=token)
    signup_prefill_set(
        request, email=found.email, next_url=reverse("integrations:invitation", args=[token])
    )
    return redirect("accounts:signup")
