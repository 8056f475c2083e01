"""The learner's rights pages under /privacy/my-data/: thin; reads via selectors, writes via services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.privacy.registry.describe import rights_context
from learnward.privacy.registry.purposes import PURPOSES
from learnward.privacy.rights import desk, selectors, services
from learnward.privacy.rights.extensions import my_data_sections
from learnward.privacy.rights.forms import DeleteAccountForm, ObjectionForm, RestrictForm


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    data = selectors.my_data(actor=request.user, user=request.user)
    exports = list(selectors.exports_for(actor=request.user, user=request.user)[:5])
    now = timezone.now()
    pending = next((e for e in exports if e.status == e.Status.PENDING), None)
    failed = exports[0] if exports and exports[0].status == exports[0].Status.FAILED else None
    return render(
        request,
        "privacy/my_data.html",
        {
            "my": data,
            "pending": pending,
            "ready": [e for e in exports if e.is_downloadable(now)],
            "failed": failed,
            "rows_shown": selectors.ROWS_SHOWN,
            "export_days": settings.EXPORT_DAYS,
            "sections": my_data_sections(user=request.user),
            **rights_context(),
        },
    )


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    export, created = services.export_request_once(user=request.user, actor=request.user)
    if created:
        messages.success(
            request,
            _(
                "We are preparing your data. We'll email you a link when it's ready, usually "
                "within minutes."
            ),
        )
    else:
        messages.info(
            request, _("We are already preparing your data; we'll email you when it's ready.")
        )
    return redirect(reverse("rights:my_data") + "#download")


@login_required
def export_download(request: HttpRequest, public_id) -> HttpResponse:
    export = selectors.export_for_download(actor=request.user, public_id=public_id)
    services.export_mark_downloaded(export=export, actor=request.user)
    filename = f"my-data-{timezone.localdate(export.ready_at):%Y-%m-%d}.zip"
    # Streamed from the export store (a folder, or the shared bucket) after the access check.
    response = FileResponse(
        export.storage.open(export.file_name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "pending_deletion", None) is not None and request.method != "POST":
        return redirect("accounts:status")
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        deletion = services.account_deletion_schedule(
            user=user, password=form.cleaned_data["password"]
        )
        logout(request)
        return render(request, "privacy/deletion_scheduled.html", {"deletion": deletion})
    return render(
        request,
        "privacy/delete_account.html",
        {"form": form, "cool_off_days": settings.ERASURE_COOL_OFF_DAYS},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def delete_cancel(request: HttpRequest) -> HttpResponse:
    if services.account_deletion_cancel(user=request.user):
        messages.success(
            request, _("We have cancelled the deletion. Your account is active again.")
        )
        return redirect("rights:my_data")
    return redirect("accounts:status")


@login_required
def restrict(request: HttpRequest) -> HttpResponse:
    current = selectors.active_restriction(actor=request.user, user=request.user)
    form = RestrictForm(request.POST or None)
    if request.method == "POST" and current is None and form.is_valid():
        services.restriction_start(
            user=request.user, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("We have restricted the processing of your data."))
        return redirect("rights:restrict")
    allowed = [p for p in PURPOSES.values() if p.allowed_while_restricted]
    stopped = [p for p in PURPOSES.values() if not p.allowed_while_restricted]
    return render(
        request,
        "privacy/restrict.html",
        {"restriction": current, "form": form, "allowed": allowed, "stopped": stopped},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def restrict_lift(request: HttpRequest) -> HttpResponse:
    current = selectors.active_restriction(actor=request.user, user=request.user)
    if current is None or current.requested_by != current.By.LEARNER:
        raise Http404
    services.restriction_lift(restriction=current, actor=request.user, reason="Lifted by learner")
    messages.success(request, _("The restriction is lifted."))
    return redirect("rights:restrict")


@login_required
def object_to(request: HttpRequest) -> HttpResponse:
    form = ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.objection_record(
            user=request.user,
            purpose=form.cleaned_data["purpose"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        spec = PURPOSES[form.cleaned_data["purpose"]]
        if spec.objection_overridden:
            messages.info(
                request,
                _("We have recorded your objection. %(why_we_continue)s")
                % {"why_we_continue": spec.objection_overridden},
            )
        else:
            messages.success(request, _("We have stopped: %(use)s.") % {"use": spec.name})
        return redirect("rights:object")
    return render(
        request,
        "privacy/object.html",
        {
            "choices": selectors.objection_choices(actor=request.user, user=request.user),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def object_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_for(actor=request.user, pk=pk)
    if objection.user_id != request.user.pk:
        raise Http404
    services.objection_withdraw(objection=objection, actor=request.user)
    messages.success(request, _("Your objection is withdrawn."))
    return redirect("rights:object")


def identity_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the identity-check email; GET shows a button, POST confirms (mail scanners
    follow links, so a GET must change nothing)."""
    if request.method == "POST":
        try:
            desk.request_confirm_identity_by_link(token=token)
        except desk.DeskError as exc:
            return render(request, "privacy/identity_confirm.html", {"error": str(exc)}, status=400)
        return render(request, "privacy/identity_confirm.html", {"confirmed": True})
    return render(request, "privacy/identity_confirm.html", {"token": token})
