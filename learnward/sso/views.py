"""Signing in through an organisation's identity provider or a social provider (OpenID Connect,
authorisation-code flow with PKCE S256, state and nonce), on mozilla-django-oidc's views.

- ``sso:organisation`` asks for a work email address and sends the person to the provider of the
  organisation that owns its domain; ``sso:start`` starts with a named provider (the login page's
  social buttons, an organisation's own sign-in link).
- ``sso:callback`` is the one redirect URI for every provider: the state, kept in the session
  with the nonce, the PKCE verifier and the provider, says which provider answered.
- ``sso:link`` is where the owner of an existing account proves it with their password before a
  provider is linked to it.

A staff account with two-factor sign-in still enters its code after the provider: the session is
signed in only after the code (the accounts app's code step). django-axes' lockout applies to the
account whatever the way in, and every sign-in, link and refusal is audited.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from learnward.accounts import limits, two_factor
from learnward.accounts.models import User
from learnward.accounts.views import PENDING_LOGIN_KEY
from learnward.accounts.views import locked_out as locked_out_page
from learnward.core.i18n import supported_language, use_language

from . import services
from .backends import BACKEND_PATH, SignInRefused, SSOBackend
from .endpoints import DiscoveryFailed, UnsafeEndpoint, provider_endpoints
from .forms import LinkPasswordForm, OrganisationEmailForm
from .models import IdentityProvider

STATES_KEY = "oidc_states"  # mozilla-django-oidc's session key: state -> nonce, verifier, ...
PENDING_LINK_KEY = "sso:pending_link"
STATE_MAX_AGE_SECONDS = 10 * 60
PENDING_LINK_SECONDS = 10 * 60
# Starts and answers per client address, per ten minutes: generous, as a whole office signs in
# from one address at nine; it stops floods (and the audit entries each refusal writes).
START_LIMIT = 200
WINDOW_SECONDS = 10 * 60

REFUSALS = {
    "email_unverified": (
        _lazy(
            "%(provider)s has not confirmed that this email address is yours, so we cannot sign you in "
            "with it. Sign in with your email address and password instead, or ask whoever runs "
            "%(provider)s to confirm your address."
        )
    ),
    "domain_not_bound": (
        _lazy(
            "%(provider)s signs in people with %(organisation)s email addresses only, and the address it "
            "gave us is not one of them. Nothing has been changed. Sign in with your email address "
            "and password, or with your own organisation's sign-in."
        )
    ),
    "no_email": (
        _lazy(
            "%(provider)s did not tell us your email address, so we cannot sign you in with it. "
            "Sign in with your email address and password instead."
        )
    ),
    "account_closed": _lazy("This account is closed."),
    "state": (
        _lazy(
            "This sign-in was not started here, or it took too long. Nothing has been changed. "
            "Please start again."
        )
    ),
    "provider_error": (
        _lazy(
            "The sign-in was cancelled, or %(provider)s did not allow it. Nothing has been changed."
        )
    ),
    "unavailable": (
        _lazy(
            "Signing in with %(provider)s is not available at the moment. Sign in with your email "
            "address and password, or try again later."
        )
    ),
    "already_linked": (
        _lazy(
            "Your account is already linked to another %(provider)s sign-in. Sign in with your "
            "password, or contact us to change it."
        )
    ),
}
# Everything else that can go wrong with a token: one message, the reason goes to the audit trail.
INVALID = _lazy(
    "We could not confirm your sign-in with %(provider)s. Nothing has been changed. Please start "
    "again; if it keeps happening, sign in with your email address and password and contact us."
)


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _rate_limited(request: HttpRequest) -> bool:
    try:
        limits.hit("sso", _client_ip(request), limit=START_LIMIT, window=WINDOW_SECONDS)
    except limits.RateLimited:
        return True
    return False


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "sso/too_many.html", status=429)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _refused(
    request: HttpRequest,
    reason: str,
    *,
    provider: IdentityProvider | None = None,
    user: User | None = None,
    status: int = 403,
) -> HttpResponse:
    services.sso_refusal_record(reason=reason, provider=provider, user=user)
    template = REFUSALS.get(reason, INVALID)
    organisation = provider.organisation.name if provider and provider.organisation_id else ""
    message = str(template) % {
        "provider": provider.name if provider else _("your organisation's sign-in"),
        "organisation": organisation,
    }
    context = {"message": message, "reason": reason, "provider": provider}
    return render(request, "sso/refused.html", context, status=status)


# --- starting: to the provider's authorisation endpoint ----------------------------------------


class StartView(OIDCAuthenticationRequestView):
    """mozilla-django-oidc's request view with the provider chosen per request: the library makes
    the state, the nonce and the PKCE pair and keeps them in the session; this view adds which
    provider they belong to and where to go afterwards."""

    http_method_names = ["post"]

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the library's reads one provider from settings
        self.provider: IdentityProvider | None = None
        self.login_hint = ""

    def get_settings(self, attr, *args):
        per_provider = {
            "OIDC_RP_SCOPES": self.provider.scopes if self.provider else "openid",
            "OIDC_USE_NONCE": True,
            "OIDC_USE_PKCE": True,
            "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
            "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:callback",
            "OIDC_AUTH_REQUEST_EXTRA_PARAMS": {},
        }
        if attr in per_provider:
            return per_provider[attr]
        return super().get_settings(attr, *args)

    def get_extra_params(self, request):
        return {"login_hint": self.login_hint} if self.login_hint else {}

    def begin(
        self, request: HttpRequest, provider: IdentityProvider, *, next_url: str, login_hint=""
    ) -> HttpResponse:
        try:
            endpoints = provider_endpoints(provider)
        except (DiscoveryFailed, UnsafeEndpoint):
            return _refused(request, "unavailable", provider=provider, status=503)
        if not provider.client_secret():
            return _refused(request, "unavailable", provider=provider, status=503)
        self.provider = provider
        self.login_hint = login_hint
        self.OIDC_OP_AUTH_ENDPOINT = endpoints.authorization
        self.OIDC_RP_CLIENT_ID = provider.client_id
        # The page's language, for the account a first sign-in creates and for the pages after.
        language = supported_language(get_language())
        # The redirect URI is the one registered with the provider: the unprefixed address,
        # whatever the language of the page the sign-in started from.
        with use_language(settings.LANGUAGE_CODE):
            response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        entry = request.session[STATES_KEY][state]
        entry.update(provider=provider.pk, next=next_url, language=language)
        request.session.pop("oidc_login_next", None)
        request.session.modified = True
        return response

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        provider = get_object_or_404(IdentityProvider, slug=slug, enabled=True)
        if _rate_limited(request):
            return _too_many(request)
        next_url = _safe_next(request, request.POST.get("next"))
        return self.begin(request, provider, next_url=next_url)


def organisation_sign_in(request: HttpRequest) -> HttpResponse:
    """ "Sign in with your organisation": the work address's domain finds the provider."""
    form = OrganisationEmailForm(request.POST or None)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            return _too_many(request)
        email = form.cleaned_data["email"]
        provider = services.provider_for_email(email)
        if provider is not None:
            return StartView().begin(request, provider, next_url=next_url, login_hint=email)
        form.add_error(
            "email",
            _(
                "We have no organisation sign-in for this address. Sign in with your email address "
                "and password instead."
            ),
        )
    context = {"form": form, "next": next_url, "providers": social_providers()}
    return render(request, "sso/organisation.html", context, status=400 if form.errors else 200)


def social_providers() -> list[IdentityProvider]:
    """Site-wide providers offered on the login page (enabled, with a secret configured)."""
    return [
        p
        for p in IdentityProvider.objects.filter(organisation__isnull=True, enabled=True)
        if p.client_secret()
    ]


# --- the provider's answer ------------------------------------------------------------------------


class CallbackView(OIDCAuthenticationCallbackView):
    """The redirect URI of every provider. The library's state bookkeeping (one entry per
    started sign-in, removed when used); the checks on the answer are :class:`SSOBackend`'s."""

    def get(self, request: HttpRequest) -> HttpResponse:
        states = request.session.get(STATES_KEY)
        state = request.GET.get("state", "")
        entry = states.get(state) if isinstance(states, dict) and state else None
        # The callback has one (unprefixed) address: answer in the language the sign-in
        # started in.
        with use_language((entry or {}).get("language") or get_language()):
            return self._answer(request)

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if _rate_limited(request):
            return _too_many(request)
        states = request.session.get(STATES_KEY)
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if isinstance(states, dict) and state else None
        if entry is not None:
            request.session.modified = True  # used once: a replayed answer finds no state
        provider = None
        if entry is not None and entry.get("provider"):
            provider = IdentityProvider.objects.filter(pk=entry["provider"], enabled=True).first()
        if (
            provider is None
            or time.time() - entry.get("added_on", 0) > STATE_MAX_AGE_SECONDS
            or not entry.get("nonce")
            or not entry.get("code_verifier")
        ):
            return _refused(request, "state", provider=provider, status=400)
        if request.GET.get("error") or not request.GET.get("code"):
            return _refused(request, "provider_error", provider=provider)
        try:
            backend = SSOBackend().configure(provider, provider_endpoints(provider))
            with use_language(settings.LANGUAGE_CODE):
                callback_path = reverse("sso:callback")
            claims = backend.verified_claims(
                code=request.GET["code"],
                redirect_uri=request.build_absolute_uri(callback_path),
                nonce=entry["nonce"],
                code_verifier=entry["code_verifier"],
            )
            assertion = services.assertion_from_claims(provider=provider, claims=claims)
        except (DiscoveryFailed, UnsafeEndpoint):
            return _refused(request, "unavailable", provider=provider, status=503)
        except SignInRefused as exc:
            return _refused(request, exc.reason, provider=provider)
        outcome = services.sso_resolve(
            assertion=assertion, language=entry.get("language") or get_language()
        )
        next_url = entry.get("next") or reverse(settings.LOGIN_REDIRECT_URL)
        if outcome.kind == "needs_link":
            request.session[PENDING_LINK_KEY] = {
                "provider": provider.pk,
                "subject": assertion.subject,
                "user": outcome.user.pk,
                "email": assertion.email,
                "next": next_url,
                "at": int(time.time()),
            }
            services.sso_refusal_record(reason="needs_link", provider=provider, user=outcome.user)
            return redirect("sso:link")
        return _sign_in(request, outcome.user, provider, next_url)


def _sign_in(
    request: HttpRequest, user: User, provider: IdentityProvider, next_url: str
) -> HttpResponse:
    """Sign ``user`` in after the provider vouched for them: unless the account is closed or
    locked out, and after the two-factor code where the account has it."""
    if not user.is_active:
        return _refused(request, "account_closed", provider=provider, user=user)
    if not AxesProxyHandler.is_allowed(request, credentials={"username": user.email}):
        services.sso_refusal_record(reason="locked_out", provider=provider, user=user)
        return locked_out_page(request)
    services.sso_signed_in_record(user=user, provider=provider)
    if two_factor.has_two_factor(user):
        # Not signed in yet: the accounts app's code step signs the session in after the code.
        request.session[PENDING_LOGIN_KEY] = {
            "user": user.pk,
            "backend": BACKEND_PATH,
            "next": next_url,
            "at": int(time.time()),
        }
        return redirect("accounts:login_otp")
    login(request, user, backend=BACKEND_PATH)
    return redirect(next_url)


# --- linking an existing account ----------------------------------------------------------------


def _pending_link(request: HttpRequest):
    pending = request.session.get(PENDING_LINK_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_LINK_SECONDS:
        request.session.pop(PENDING_LINK_KEY, None)
        return None, None, None
    provider = IdentityProvider.objects.filter(pk=pending["provider"], enabled=True).first()
    user = User.objects.filter(pk=pending["user"], email__iexact=pending["email"]).first()
    if provider is None or user is None:
        request.session.pop(PENDING_LINK_KEY, None)
        return None, None, None
    return pending, provider, user


@sensitive_post_parameters("password")
def link(request: HttpRequest) -> HttpResponse:
    """An account with the provider's address exists: its owner proves it with their password
    once, then the provider is linked and signs them in from then on."""
    pending, provider, user = _pending_link(request)
    if pending is None:
        messages.info(request, _("Please start signing in again."))
        return redirect("accounts:login")
    form = LinkPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Through the authentication backends, so django-axes counts a wrong password and
        # refuses a locked-out account exactly as on the login page.
        proved = authenticate(request, username=user.email, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return locked_out_page(request)
        if proved is not None and proved.pk == user.pk:
            request.session.pop(PENDING_LINK_KEY, None)
            try:
                services.identity_link(user=user, provider=provider, subject=pending["subject"])
            except services.AlreadyLinked:
                return _refused(request, "already_linked", provider=provider, user=user)
            messages.success(
                request, _("%(name)s is now linked to your account.") % {"name": provider.name}
            )
            return _sign_in(request, user, provider, pending["next"])
        form.add_error("password", _("That password is not right. Check it and try again."))
    context = {"form": form, "provider": provider, "email": pending["email"]}
    return render(request, "sso/link.html", context, status=400 if form.errors else 200)


@require_POST
def link_cancel(request: HttpRequest) -> HttpResponse:
    if request.session.pop(PENDING_LINK_KEY, None) is None:
        raise Http404
    return redirect("accounts:login")


def organisation_start(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's own sign-in page (a link its people can bookmark)."""
    provider = (
        IdentityProvider.objects.select_related("organisation")
        .filter(organisation__slug=slug, enabled=True)
        .order_by("id")
        .first()
    )
    if provider is None:
        raise Http404
    next_url = _safe_next(request, request.GET.get("next"))
    return render(request, "sso/organisation_start.html", {"provider": provider, "next": next_url})
