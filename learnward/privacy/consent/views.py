"""The cookie page: what the site sets, and the optional-cookie choice (also the banner's target)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learnward.privacy.consent.cookies import cookie_choice_record, cookie_register, cookie_state


def _safe_next(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("cookies:settings")


@require_http_methods(["GET", "HEAD", "POST"])
def cookie_settings(request):
    state = cookie_state(request)
    error = ""
    status = 200
    if request.method == "POST":
        choice = request.POST.get("choice")
        if not state.optional:
            messages.info(
                request, _("This site sets essential cookies only; there is nothing to choose.")
            )
            return redirect(reverse("cookies:settings"))
        if choice not in {"accept", "reject"}:
            error = _("Choose whether to accept or reject optional cookies.")
            status = 400
        elif request.POST.get("version") != state.version:
            # The list changed since the page was shown: ask again about the current list.
            error = _("The list of optional cookies has changed. Please read it again and choose.")
            status = 409
        else:
            response = redirect(_safe_next(request))
            cookie_choice_record(request=request, response=response, accepted=choice == "accept")
            messages.success(
                request,
                _("You accepted optional cookies.")
                if choice == "accept"
                else _("You rejected optional cookies. Only essential cookies are set."),
            )
            return response
    register = cookie_register()
    return render(
        request,
        "cookies/settings.html",
        {
            "essential": [e for e in register if e.essential],
            "optional": state.optional,
            "state": state,
            "error": error,
        },
        status=status,
    )
