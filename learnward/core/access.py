"""The one staff-access check (after pretix's ``control/permissions.py``).

A staff page needs three things: a staff account, the page's permission, and a session that has
passed two-factor sign-in where two-factor applies. Two-factor applies to an account that has a
confirmed authenticator device (then the session must be verified with a code, django-otp's
``user.is_verified()``), and to every staff account when ``LEARNWARD_STAFF_TWO_FACTOR_REQUIRED``
is on. Someone signed out is sent to the login page; someone without access gets a 404 (the page
does not exist for them); staff whose session still needs a code are sent to set it up or enter it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

# Where a staff member whose session still needs two-factor goes (the account's two-factor page).
TWO_FACTOR_URL = "accounts:two_factor"

Rule = str | Callable[..., bool] | None


def has_two_factor(user) -> bool:
    """Whether the account has a confirmed authenticator device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice  # a model: import once apps are ready

    if not getattr(user, "pk", None):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user) -> bool:
    """Whether this site makes two-factor compulsory for this account."""
    return bool(user.is_staff and settings.STAFF_TWO_FACTOR_REQUIRED)


def two_factor_satisfied(request) -> bool:
    """May this session use staff pages? Verified with a code when the account has a device, or
    when the site requires two-factor for staff (then an account without a device may not)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if has_two_factor(user):
        return bool(user.is_verified())
    return not two_factor_required(user)


def is_staff_with(user, rule: Rule = None) -> bool:
    """Signed in, active, staff, and allowed by ``rule``: a permission name ("app.codename"), a
    predicate taking the user, or None for any staff member. Says nothing about the session."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    if rule is None:
        return True
    if isinstance(rule, str):
        return user.has_perm(rule)
    return bool(rule(user))


def has_staff_access(request, rule: Rule = None) -> bool:
    """The whole check for a staff page: :func:`is_staff_with` and a two-factor-satisfied
    session."""
    return is_staff_with(request.user, rule) and two_factor_satisfied(request)


def staff_required(rule: Rule = None):
    """View decorator: signed out goes to the login page; no access (not staff, or not allowed by
    ``rule``) is a 404; a session that still needs two-factor goes to the two-factor page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_with(request.user, rule):
                raise Http404
            if not two_factor_satisfied(request):
                return redirect(TWO_FACTOR_URL)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
