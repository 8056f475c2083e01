"""Access rules other apps use on their views."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render


def require_verified_email(view):
    """Only for signed-in accounts whose email address is verified.

    Anonymous visitors go to the login page. A signed-in account that has not verified its
    address gets a 403 page explaining why, with a button to send a new link. For class-based
    views: ``@method_decorator(require_verified_email, name="dispatch")``.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.has_verified_email:
            return render(request, "accounts/verification_required.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
