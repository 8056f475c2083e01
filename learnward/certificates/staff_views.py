"""Staff pages under /staff/certificates/: issuing a certificate by hand for learning assessed
outside the platform, one at a time or from a CSV (upload, preview, confirm). For staff with
``certificates.issue_by_hand`` (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.core import csvupload
from learnward.core.access import staff_required

from . import hand_issue, services
from .forms import HandIssueConfirmForm, HandIssueForm, HandIssueUploadForm

RULE = hand_issue.PERMISSION
# The upload page's example file: data in the file's fixed format, the same in every language.
EXAMPLE_CSV = (
    "name,email,course,award date\n"
    "Ana Silva,ana.silva@example-care.co.uk,first-aid-at-work,2026-03-14\n"
    "Tom Reid,tom.reid@example-care.co.uk,First Aid at Work,2026-03-14"
)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(RULE)
def issue_one(request: HttpRequest) -> HttpResponse:
    form = HandIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            certificate = services.certificate_issue_by_hand(
                actor=request.user,
                user=data["user"],
                course=data["course"],
                awarded_on=data["awarded_on"],
                reason=data["reason"],
            )
        except services.CertificateError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Certificate %(code)s issued to %(name)s.")
                % {"code": certificate.display_code, "name": certificate.holder_name},
            )
            return redirect("certificates:detail", code=certificate.display_code)
    return _private(
        render(
            request,
            "certificates/staff/issue_one.html",
            {"form": form},
            status=400 if form.errors else 200,
        )
    )


@staff_required(RULE)
def issue_upload(request: HttpRequest) -> HttpResponse:
    form = HandIssueUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(csvupload.MAX_BYTES + 1)
        try:
            rows = hand_issue.parse_upload(data)
        except csvupload.CsvRefused as exc:
            form.add_error("file", exc.message)
        else:
            upload_id = csvupload.upload_store(
                request.session,
                prefix=hand_issue.SESSION_PREFIX,
                scope=request.user.pk,
                rows=rows,
            )
            return redirect("certificates_staff:issue_preview", upload_id=upload_id)
    return _private(
        render(
            request,
            "certificates/staff/issue_upload.html",
            {"form": form, "example_csv": EXAMPLE_CSV},
            status=400 if form.errors else 200,
        )
    )


def _stored(request, upload_id: str):
    rows = csvupload.upload_load(
        request.session,
        prefix=hand_issue.SESSION_PREFIX,
        upload_id=upload_id,
        scope=request.user.pk,
    )
    if rows is None:
        raise Http404
    return rows


@staff_required(RULE)
def issue_preview(request: HttpRequest, upload_id: str) -> HttpResponse:
    """Every row and what issuing would do; POST issues them all (with one reason) or none."""
    rows = _stored(request, upload_id)
    checks = hand_issue.check_rows(rows, today=timezone.localdate())
    bad = [c for c in checks if not c.ok]
    form = HandIssueConfirmForm(request.POST or None, initial={"expected": len(checks)})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.certificates_issue_by_hand_from_csv(
                actor=request.user,
                rows=rows,
                reason=form.cleaned_data["reason"],
                expected=form.cleaned_data["expected"],
            )
        except services.HandIssueRefused as exc:
            error = exc.message
            checks = exc.checks
            bad = [c for c in checks if not c.ok]
        except services.CertificateError as exc:
            form.add_error(None, exc.message)
        else:
            csvupload.upload_forget(
                request.session, prefix=hand_issue.SESSION_PREFIX, upload_id=upload_id
            )
            messages.success(
                request,
                ngettext(
                    "%(count)s certificate issued.", "%(count)s certificates issued.", len(issued)
                )
                % {"count": len(issued)},
            )
            return redirect("certificates_staff:issue_upload")
    context = {
        "checks": checks,
        "bad": bad,
        "form": form,
        "error": error,
        "upload_id": upload_id,
    }
    status = 400 if (error or form.errors) else 200
    return _private(
        render(request, "certificates/staff/issue_preview.html", context, status=status)
    )


@staff_required(RULE)
def issue_preview_csv(request: HttpRequest, upload_id: str) -> HttpResponse:
    """The preview as a CSV, to fix the bad rows in a spreadsheet (cells made safe)."""
    checks = hand_issue.check_rows(_stored(request, upload_id), today=timezone.localdate())
    response = HttpResponse(hand_issue.outcomes_csv(checks), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="certificates-preview.csv"'
    return _private(response)
