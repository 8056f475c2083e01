from django.shortcuts import redirect
from django.urls import reverse

from .models import User

# Paths a signed-in but not fully active account may still use.
_ALWAYS_ALLOWED = (
    "/accounts/logout/",
    "/accounts/status/",  # the status page's own forms (e.g. emailing the guardian again)
    "/accounts/verify/",  # confirming one's own address is not using the account
    "/accounts/guardian/",  # a guardian's link opened in a browser signed in to another account
    "/static/",
    "/privacy/",
    "/verify/",
    "/api/v1/",
    "/.well-known/",
    "/unsubscribe/",  # withdrawing marketing consent must always work
    "/cookies/",  # so must changing a cookie choice
)


class AccountStatusMiddleware:
    """Confine deactivated accounts and accounts awaiting a guardian to their status page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.status != User.Status.ACTIVE:
            status_url = reverse("accounts:status")
            path = request.path
            if path != status_url and not path.startswith(_ALWAYS_ALLOWED):
                return redirect(status_url)
        return self.get_response(request)
