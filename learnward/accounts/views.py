"""Account pages. Thin: forms validate, services write."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from learnward.communications.services import communication_preferences_from_signup
from learnward.core.i18n import language_codes, path_in_language, use_language

from . import limits, services, two_factor
from .forms import (
    CodeForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    ResendVerificationForm,
    SetPasswordForm,
    SignUpForm,
)
from .guardian import GuardianEmailInvalid
from .models import User
from .signup_prefill import signup_prefill
from .tokens import TokenError

PENDING_LOGIN_KEY = "accounts:pending_login"
PENDING_LOGIN_SECONDS = 5 * 60


def _form_status(form) -> int:
    """400 when a submitted form is shown again with its errors, as on every form of the site."""
    return 400 if form.errors else 200


class InvalidFormIs400:
    """For Django's class-based form views, which show an invalid form with a 200."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


# --- Sign-up and verification -------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    prefill = signup_prefill(request)
    form = SignUpForm(request.POST or None, initial={"email": prefill["email"]})
    if request.method == "POST" and form.is_valid() and not form.asking_for_guardian:
        data = form.cleaned_data
        try:
            user = services.user_sign_up(
                email=data["email"],
                display_name=data["display_name"],
                date_of_birth=data["date_of_birth"],
                password=data["password1"],
                today=form.today,
                guardian_email=data.get("guardian_email", ""),
                language=get_language(),
            )
            communication_preferences_from_signup(user=user, topics=data["marketing_topics"])
        except services.EmailAlreadyRegistered as exc:
            services.user_signup_collision_notify(user_id=exc.user_id)
        except services.GuardianEmailRequired as exc:  # the birthday passed midnight, say
            form.add_error(None, exc.decision.message)
        except services.SignUpRefused as exc:
            form.add_error("date_of_birth", exc.decision.message)
        except GuardianEmailInvalid as exc:
            form.add_error("guardian_email" if form.guardian_needed else None, str(exc))
        except ValidationError as exc:
            form.add_error("password1", exc)
        if not form.errors:
            done = reverse("accounts:signup_done")
            # The same page whether or not the address already had an account.
            return redirect(f"{done}?guardian=1" if form.guardian_needed else done)
    context = {
        "form": form,
        "guardian_days": settings.GUARDIAN_CONSENT_DAYS,
        "guardian_age": settings.GUARDIAN_CONSENT_BELOW,
    }
    return render(request, "accounts/signup.html", context, status=_form_status(form))


def signup_done(request: HttpRequest) -> HttpResponse:
    next_url = signup_prefill(request)["next"]
    login_url = reverse("accounts:login")
    context = {
        "next": next_url,
        "login_next": f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url,
        "guardian": request.GET.get("guardian") == "1",
        "guardian_days": settings.GUARDIAN_CONSENT_DAYS,
    }
    return render(request, "accounts/signup_done.html", context)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = services.user_verify_email(token=token)
    except TokenError as exc:
        return render(request, "accounts/verify_failed.html", {"reason": exc.reason}, status=400)
    signed_in_as_owner = request.user.is_authenticated and request.user.pk == user.pk
    context = {"signed_in": signed_in_as_owner, "next": signup_prefill(request)["next"]}
    return render(request, "accounts/verify_done.html", context)


def verify_resend(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated:
        if user.has_verified_email:
            messages.info(request, _("Your email address is already verified."))
            return redirect("accounts:profile")
        if request.method == "POST":
            try:
                services.user_resend_verification(user=user)
            except limits.RateLimited:
                return render(
                    request,
                    "accounts/verify_resend.html",
                    {"rate_limited": True, "form": None},
                    status=429,
                )
            messages.success(request, _("We have sent a new link. It may take a few minutes."))
            return redirect("accounts:verify_resend")
        return render(request, "accounts/verify_resend.html", {"form": None})
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_resend_verification_to(email=form.cleaned_data["email"])
        messages.success(
            request,
            _(
                "If that address has an account waiting for verification, we have sent it a new "
                "link. It may take a few minutes."
            ),
        )
        return redirect("accounts:verify_resend")
    return render(request, "accounts/verify_resend.html", {"form": form}, status=_form_status(form))


# --- Logging in, with a second step for two-factor accounts ------------------------------------------


class LoginView(InvalidFormIs400, auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_two_factor(user):
            # The password was right; the session is only signed in after the code.
            self.request.session[PENDING_LOGIN_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": int(time.time()),
            }
            return redirect("accounts:login_otp")
        return super().form_valid(form)


def _safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def login_otp(request: HttpRequest) -> HttpResponse:
    """The code step: after the password at login, or to verify an existing staff session."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if request.user.is_authenticated:
        user = request.user
        next_url = _safe_next(request, request.GET.get("next"), reverse("core:home"))
        if not two_factor.has_two_factor(user) or user.is_verified():
            return redirect(next_url)
    elif pending and time.time() - pending.get("at", 0) <= PENDING_LOGIN_SECONDS:
        user = User.objects.filter(pk=pending["user"]).first()
        next_url = pending.get("next") or reverse("core:home")
        if user is None or not user.is_active:
            request.session.pop(PENDING_LOGIN_KEY, None)
            return redirect("accounts:login")
    else:
        request.session.pop(PENDING_LOGIN_KEY, None)
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")

    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify_code(user=user, token=form.cleaned_data["code"])
        if device is not None:
            if not request.user.is_authenticated:
                login(request, user, backend=pending["backend"])
            otp_login(request, device)
            request.session.pop(PENDING_LOGIN_KEY, None)
            return redirect(next_url)
        form.add_error(
            "code", _("That code is not right, or it has expired. Try the current code.")
        )
        # Count wrong codes towards the sign-in lockout like wrong passwords.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.email}, request=request
        )
    return render(request, "accounts/login_otp.html", {"form": form}, status=_form_status(form))


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE); shows nothing about the account."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME or 0) * 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(InvalidFormIs400, auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(InvalidFormIs400, auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink and response.status_code == 200:
            response.status_code = 400  # "This link does not work", like other failed links
        return response


class PasswordChangeView(InvalidFormIs400, auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


# --- Profile ------------------------------------------------------------------------------------------


def _profile_page(request, *, profile_form=None, email_form=None, status=200) -> HttpResponse:
    user = request.user
    context = {
        "profile_form": profile_form
        or ProfileForm(initial={"display_name": user.display_name, "language": user.language}),
        "email_form": email_form or EmailChangeForm(user=user),
        "two_factor_on": user.is_staff and two_factor.has_two_factor(user),
        "contact_email": settings.PROVIDER_EMAIL,
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            changed = services.user_update_profile(
                user=request.user,
                display_name=form.cleaned_data["display_name"],
                language=form.cleaned_data["language"] or None,
                actor=request.user,
            )
            # The page after saving is in the (perhaps new) language.
            language = form.cleaned_data["language"] if "language" in changed else None
            with use_language(language):
                if "display_name" in changed:
                    messages.success(request, _("Your name has been changed."))
                if "language" in changed:
                    messages.success(request, _("Your language has been changed."))
                    return redirect(reverse("accounts:profile"))
            return redirect("accounts:profile")
        return _profile_page(request, profile_form=form, status=400)
    return _profile_page(request)


@login_required
@require_POST
@sensitive_post_parameters("password")
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.user_request_email_change(
                user=request.user, new_email=form.cleaned_data["new_email"]
            )
        except limits.RateLimited:
            form.add_error(
                None,
                _("You have asked to change your address several times. Try again in an hour."),
            )
            return _profile_page(request, email_form=form, status=429)
        messages.success(
            request,
            _(
                "We have sent a link to your new address. Your address changes when you follow it. "
                "Until then we keep using your current address."
            ),
        )
        return redirect("accounts:profile")
    return _profile_page(request, email_form=form, status=400)


@login_required
@require_POST
def email_change_cancel(request: HttpRequest) -> HttpResponse:
    if services.user_cancel_email_change(user=request.user):
        messages.success(request, _("The change of email address has been cancelled."))
    return redirect("accounts:profile")


def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.user_confirm_email_change(token=token)
    except TokenError as exc:
        return render(request, "accounts/verify_failed.html", {"reason": exc.reason}, status=400)
    except services.EmailTaken:
        return render(request, "accounts/verify_failed.html", {"reason": "taken"}, status=409)
    return render(request, "accounts/email_change_done.html")


@login_required
def account_status(request: HttpRequest) -> HttpResponse:
    from .guardian_views import status_context

    return render(request, "accounts/status.html", status_context(request))


# --- Two-factor sign-in for staff ---------------------------------------------------------------------


def _staff_user(request: HttpRequest):
    if not request.user.is_authenticated:
        return None
    if not request.user.is_staff:
        raise Http404("Two-factor sign-in is for staff accounts")
    return request.user


def _needs_step_up(request: HttpRequest) -> bool:
    return two_factor.has_two_factor(request.user) and not request.user.is_verified()


def _step_up(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('accounts:login_otp')}?{urlencode({'next': request.path})}")


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    if _needs_step_up(request):
        return _step_up(request)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": two_factor.has_two_factor(user),
            "required": two_factor.two_factor_required(user),
            "disable_form": CodeForm(),
        },
    )


@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    if _needs_step_up(request):
        return _step_up(request)
    two_factor.totp_device_start(user=user)
    return redirect("accounts:two_factor_setup")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    if _needs_step_up(request):
        return _step_up(request)
    device = two_factor.pending_device(user)
    if device is None:
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_device_confirm(
            request=request, device=device, token=form.cleaned_data["code"]
        ):
            messages.success(
                request, _("Two-factor sign-in is on. We will ask for a code at sign-in.")
            )
            return redirect("accounts:two_factor")
        form.add_error(
            "code", _("That code is not right. Check the time on your phone and try again.")
        )
    context = {
        "form": form,
        "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=_form_status(form))


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = _staff_user(request)
    if two_factor.two_factor_required(user):
        messages.error(request, _("Two-factor sign-in is required for staff on this site."))
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.totp_disable(user=user, token=form.cleaned_data["code"]):
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:two_factor")
    if form.is_valid():
        form.add_error("code", _("That code is not right. Try the current code."))
    return render(
        request,
        "accounts/two_factor.html",
        {"enabled": True, "required": False, "disable_form": form},
        status=400,
    )


@csrf_exempt
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """The language switcher on every page: the same page in the chosen language.

    Remembered in a cookie for everyone and, for a signed-in person, saved as their language
    (what everything sent to them is written in). An unknown language or an address off this
    site is ignored: back to the home page in the default language.

    A visitor who is not signed in only changes a cookie of their own, so the form carries no
    CSRF token for them: a page with nothing else to post sets no CSRF cookie (the cookie
    register promises only what is needed). Saving a signed-in person's language is checked
    against CSRF like every other change to an account.
    """
    if request.user.is_authenticated:
        return _language_switch_and_save(request)
    return _language_switch(request, save=False)


@csrf_protect
def _language_switch_and_save(request: HttpRequest) -> HttpResponse:
    return _language_switch(request, save=True)


def _language_switch(request: HttpRequest, *, save: bool) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in language_codes():
        language = settings.LANGUAGE_CODE
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    path, _sep, query = target.partition("?")
    target = path_in_language(path, language) + (f"?{query}" if query else "")
    if save:
        services.user_set_language(user=request.user, language=language)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
