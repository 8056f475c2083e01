"""The holder's renewal page: which course renews the certificate, and the way in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .renewal import renewal_course_for
from .selectors import certificate_for_holder


@require_GET
@login_required
def renew(request, code: str):
    certificate = certificate_for_holder(actor=request.user, code=code)
    context = {"certificate": certificate, "route": renewal_course_for(certificate)}
    response = render(request, "certificates/renew.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
