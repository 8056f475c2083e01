"""Certificate pages: the holder's list and downloads, public verification, did:web and status lists.

Views are thin: access checks live in selectors, rules in services, lookups in verification.py.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_safe

from learnward.core.branding import current_branding

from . import ratelimit
from .codes import format_code, parse_code
from .credentials.keys import did_document, did_web
from .credentials.statuslist import list_exists, status_list_credential
from .forms import VerifyForm
from .models import Certificate
from .pdf import verification_url
from .selectors import (
    certificate_credential,
    certificate_for_holder,
    certificate_pdf_bytes,
    certificates_for_user,
)
from .share import verification_qr_data_uri
from .states import held_certificates
from .thumbnail import certificate_thumbnail
from .verification import Outcome, certificate_verify

NOINDEX = "noindex, nofollow"


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = NOINDEX
    response["Cache-Control"] = "private, no-store"
    return response


def rate_limited_response(request, wait: int) -> HttpResponse:
    response = render(request, "certificates/rate_limited.html", {"retry_after": wait}, status=429)
    response["Retry-After"] = str(wait)
    return _private(response)


@require_GET
@login_required
def my_certificates(request):
    certificates = certificates_for_user(actor=request.user, user=request.user)
    context = {"held": held_certificates(certificates)}
    return _private(render(request, "certificates/list.html", context))


def _holder_context(request, code: str) -> dict:
    certificate = certificate_for_holder(actor=request.user, code=code)
    (held,) = held_certificates([certificate])
    return {"certificate": certificate, "held": held, "verify_url": verification_url(certificate)}


@require_GET
@login_required
def certificate_detail(request, code: str):
    context = _holder_context(request, code)
    return _private(render(request, "certificates/detail.html", context))


@require_GET
@login_required
def certificate_print(request, code: str):
    """The certificate as a printable page (print CSS, verification link and QR code)."""
    context = _holder_context(request, code)
    context["qr_code"] = verification_qr_data_uri(context["certificate"])
    return _private(render(request, "certificates/print.html", context))


@require_GET
@login_required
def certificate_pdf(request, code: str):
    certificate = certificate_for_holder(actor=request.user, code=code)
    response = HttpResponse(
        certificate_pdf_bytes(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.display_code}.pdf"'
    )
    return _private(response)


@require_GET
@login_required
def certificate_credential_json(request, code: str):
    certificate = certificate_for_holder(actor=request.user, code=code)
    body = json.dumps(certificate_credential(certificate=certificate), indent=2)
    response = HttpResponse(body, content_type="application/vc+ld+json")
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{certificate.display_code}.json"'
    )
    return _private(response)


@require_safe
def verify_form(request):
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("certificates:verify", code=form.cleaned_data["code"])
    status = 400 if form.is_bound else 200
    return render(request, "certificates/verify_form.html", {"form": form}, status=status)


@require_safe
def verify(request, code: str):
    parsed = parse_code(code)
    if parsed.ok and format_code(parsed.canonical) != code:
        # One address per certificate: 7kq4m2xd9trbh and "7KQ4 M2XD 9TRB H" lead to the same page.
        return redirect("certificates:verify", code=format_code(parsed.canonical), permanent=True)
    wait = ratelimit.retry_after(request)
    if wait is not None:
        return rate_limited_response(request, wait)
    result = certificate_verify(code=code)
    status = {
        Outcome.FOUND: 200,
        Outcome.UNKNOWN: 404,
        Outcome.CHECK_FAILED: 400,
        Outcome.MALFORMED: 400,
    }[result.outcome]
    certificate = result.certificate
    context = {
        "result": result,
        "certificate": certificate,
        "typed_code": code,
        "form": VerifyForm(initial={"code": code}),
        "brand": current_branding(),
    }
    if certificate is not None:
        # Expired from its expiry date on, so the last day it is valid is the day before.
        context["valid_until"] = (
            certificate.expires_on - timedelta(days=1) if certificate.expires_on else None
        )
        context["issuer_did"] = did_web(settings.BASE_URL)
    return _private(render(request, "certificates/verify_result.html", context, status=status))


def _public_certificate(code: str) -> Certificate:
    """The certificate with ``code`` for a public resource beside its verification page (the
    picture, the credential): not counted as a verification; 404 for anything else."""
    parsed = parse_code(code)
    if not parsed.ok:
        raise Http404
    certificate = Certificate.objects.filter(code=parsed.canonical).first()
    if certificate is None:
        raise Http404
    return certificate


@require_safe
def verify_thumbnail(request, code: str):
    """The certificate's picture (its PDF's page as a PNG), for its verification page.

    Public like the page, cached by the browser for five minutes (so a revocation shows soon)
    and revalidated with its ETag, which changes with anything the picture shows."""
    certificate = _public_certificate(code)
    png, etag = certificate_thumbnail(certificate)
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    response["X-Robots-Tag"] = NOINDEX
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def verify_credential(request, code: str):
    """The certificate's signed Open Badges 3.0 credential, for anyone checking it: the same
    facts as the verification page, signed, so an employer can check it with their own tools.
    Shares the verification rate limit (signing takes a moment); not counted as a verification."""
    wait = ratelimit.retry_after(request)
    if wait is not None:
        return rate_limited_response(request, wait)
    certificate = _public_certificate(code)
    body = json.dumps(certificate_credential(certificate=certificate), indent=2)
    response = HttpResponse(body, content_type="application/vc+ld+json")
    response["Content-Disposition"] = (
        f'attachment; filename="open-badge-{certificate.display_code}.json"'
    )
    response["Access-Control-Allow-Origin"] = "*"
    return _private(response)


def _public_json(data: dict, *, content_type: str = "application/json") -> JsonResponse:
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def did_json(request):
    return _public_json(did_document())


@require_safe
def status_list(request, number: int):
    if not list_exists(number):
        raise Http404
    return _public_json(status_list_credential(number))
