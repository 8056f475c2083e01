"""The one staff-access check (after pretix's ``control/permissions.py``).

Staff powers need three things: a staff account, the power's permission, and a session that has
passed two-factor sign-in where two-factor applies. Two-factor applies to an account that has a
confirmed authenticator device (then the session must be verified with a code, django-otp's
``user.is_verified()``), and to every staff account when ``LEARNWARD_STAFF_TWO_FACTOR_REQUIRED``
is on.

:func:`staff_powers` is that whole check, and every selector or view that grants a staff power
goes through it (or through :func:`staff_required`, which uses it). It takes the user, not the
request, so that selectors can call it with the acting user: the session's two-factor state
travels on ``request.user`` itself, where django-otp's ``OTPMiddleware`` installs
``is_verified()`` for each request. A user object that did not come through that middleware (one
loaded from the database, say) has no ``is_verified`` and counts as not verified, so it cannot be
used to skip the code.

Pages: someone signed out is sent to the login page; someone without access gets a 404 (the page
does not exist for them); staff whose session still needs a code are sent to set it up or enter
it. A selector refuses a session that still needs a code just as it refuses a learner: the data
is the learner's view (their own), and anyone else's is a 404.
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
    # A staff page asks several times per request (decorator, selectors, templates): the
    # request's user object keeps the answer, so that is one query, not one per check.
    known = getattr(user, "_learnward_has_two_factor", None)
    if known is None:
        known = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        user._learnward_has_two_factor = known
    return known


def two_factor_required(user) -> bool:
    """Whether this site makes two-factor compulsory for this account."""
    return bool(user.is_staff and settings.STAFF_TWO_FACTOR_REQUIRED)


def two_factor_passed(user) -> bool:
    """Whether the session ``user`` came with has passed two-factor where it applies: verified
    with a code when the account has a device; when it has none, allowed unless this site
    requires two-factor for staff. Read from the user object: ``is_verified()`` is what
    django-otp's middleware puts on ``request.user``, and a user without it (not from a request)
    is not verified."""
    if not getattr(user, "is_authenticated", False):
        return False
    if has_two_factor(user):
        is_verified = getattr(user, "is_verified", None)
        return callable(is_verified) and bool(is_verified())
    return not two_factor_required(user)


def two_factor_satisfied(request) -> bool:
    """May this session use staff pages? :func:`two_factor_passed` for ``request.user``."""
    return two_factor_passed(request.user)


def is_staff_account(user, rule: Rule = None) -> bool:
    """Signed in, active, staff, and allowed by ``rule``: a permission name ("app.codename"), a
    predicate taking the user, or None for any staff member. Says nothing about the session, so
    it grants nothing on its own: use :func:`staff_powers`."""
    if not (getattr(user, "is_authenticated", False) and user.is_active and user.is_staff):
        return False
    if rule is None:
        return True
    if isinstance(rule, str):
        return user.has_perm(rule)
    return bool(rule(user))


def staff_powers(user, rule: Rule = None) -> bool:
    """THE staff check: a staff account allowed by ``rule`` (see :func:`is_staff_account`)
    whose session has passed two-factor (:func:`two_factor_passed`). Pass the acting user as
    the view got it (``request.user``)."""
    return is_staff_account(user, rule) and two_factor_passed(user)


def has_staff_access(request, rule: Rule = None) -> bool:
    """The whole check for a staff page: :func:`staff_powers` for ``request.user``."""
    return staff_powers(request.user, rule)


def staff_required(rule: Rule = None):
    """View decorator: signed out goes to the login page; not a staff account is a 404; a staff
    session that still needs two-factor goes to the two-factor page (whatever the page's rule,
    so the rule is only asked of a session that passed); not allowed by ``rule`` is a 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_account(request.user):
                raise Http404
            if not two_factor_satisfied(request):
                return redirect(TWO_FACTOR_URL)
            if not staff_powers(request.user, rule):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
