"""The holder's renewal page: which course renews the certificate, and the way in.

GET explains the route (or why there is none); POST ("Start renewal") enrols the holder on the
renewal course, or starts a new cycle of it, and sends them there.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learnward.learning.selectors import enrolment_active

from .renewal import renewal_status, renewal_target
from .selectors import certificate_for_holder
from .services import RenewalRefused, certificate_renewal_start

_STATUS = {"unavailable": 409, "unverified": 403, "not_holder": 404}


def _page(request, certificate, *, error: str = "", status: int = 200):
    renewal = renewal_status(certificate)
    is_holder = certificate.user_id == request.user.pk
    enrolment = first = None
    if renewal.available and is_holder:
        enrolment = enrolment_active(user=request.user, course=renewal.route)
        target = renewal_target(user=request.user, route=renewal.route)
        first = target if target is not None and target.pk != certificate.pk else None
    context = {
        "certificate": certificate,
        "renewal": renewal,
        "route": renewal.route,
        "is_holder": is_holder,
        # Taking the route now (enrolled, this cycle not completed yet): completing it renews.
        "under_way": enrolment is not None and enrolment.completion is None,
        "renews_first": first,
        "error": error,
    }
    response = render(request, "certificates/renew.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def renew(request, code: str):
    certificate = certificate_for_holder(actor=request.user, code=code)
    if request.method != "POST":
        return _page(request, certificate)
    if certificate.user_id != request.user.pk:
        raise Http404  # staff may look at the page; only the holder may renew
    try:
        start = certificate_renewal_start(certificate=certificate, actor=request.user)
    except RenewalRefused as exc:
        if exc.code == "needs_registration":
            messages.info(request, exc.message)
            return redirect(
                reverse("learning:enrol", args=[renewal_status(certificate).route.slug])
            )
        return _page(request, certificate, error=exc.message, status=_STATUS.get(exc.code, 400))
    if start.started:
        messages.success(
            request,
            _("Renewal started: complete %(course)s to get your new certificate.")
            % {"course": start.course.title},
        )
    else:
        messages.info(
            request,
            _("Your renewal is under way: carry on with %(course)s.")
            % {"course": start.course.title},
        )
    return redirect(start.course.get_absolute_url())
