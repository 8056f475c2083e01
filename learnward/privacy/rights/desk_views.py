"""The DPO's request desk under /staff/privacy/: queue, request steps, subjects, erasure."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learnward.core.access import staff_required
from learnward.core.lookup import LOOKUP_MINUTES
from learnward.privacy.registry import plain
from learnward.privacy.registry.erasure import erasure_plan
from learnward.privacy.rights import desk, selectors, services
from learnward.privacy.rights.erasure import subject_erase
from learnward.privacy.rights.forms import (
    CloseForm,
    EraseForm,
    EvidenceForm,
    ExtendForm,
    PauseForm,
    RequestForm,
    RestrictForm,
    SubjectLookupForm,
)

# Signed in, staff, two-factor satisfied, and holding the DPO desk permission; else a 404.
dpo_required = staff_required(selectors.DPO_PERMISSION)


@dpo_required
def queue(request: HttpRequest) -> HttpResponse:
    include_closed = request.GET.get("closed") == "1"
    requests = selectors.request_queue(actor=request.user, include_closed=include_closed)
    return render(
        request,
        "privacy/desk/queue.html",
        {"requests": requests, "today": timezone.localdate(), "include_closed": include_closed},
    )


@dpo_required
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = desk.request_record(
            kind=data["kind"],
            channel=data["channel"],
            actor=request.user,
            requester=data["requester"],
            requester_name=data["requester_name"],
            requester_email=data["requester_email"],
            details=data["details"],
            received_on=data["received_on"],
        )
        messages.success(request, _("Request recorded. Next: confirm the requester's identity."))
        return redirect("dpo:request", pk=item.pk)
    return render(
        request, "privacy/desk/new.html", {"form": form}, status=400 if form.errors else 200
    )


def _detail(request, item, *, status=200, **forms) -> HttpResponse:
    address = desk.identity_address(item)
    context = {
        "item": item,
        "pauses": item.pauses.all(),
        "today": timezone.localdate(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "pause_form": forms.get("pause_form") or PauseForm(),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "error": forms.get("error"),
        "identity_address": address,
        "subject_url": _subject_url(request.user, address) if address else "",
    }
    return render(request, "privacy/desk/detail.html", context, status=status)


@dpo_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.request_detail(actor=request.user, pk=pk))


def _step(form_class, form_key, action):
    @dpo_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        item = selectors.request_detail(actor=request.user, pk=pk)
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            return _detail(request, item, status=400, **{form_key: form})
        try:
            message = action(request, item, form.cleaned_data if form else {})
        except desk.DeskError as exc:
            return _detail(request, item, status=400, error=str(exc), **{form_key: form})
        messages.success(request, message)
        return redirect("dpo:request", pk=item.pk)

    return view


def _send_link(request, item, data):
    desk.request_send_identity_link(request=item, actor=request.user)
    return _("Identity link sent to the account's email address.")


def _evidence(request, item, data):
    desk.request_confirm_identity(
        request=item, actor=request.user, note=data["note"], confirmed_on=data["confirmed_on"]
    )
    return _("Identity confirmed; the clock has started.")


def _pause(request, item, data):
    desk.request_pause(request=item, actor=request.user, reason=data["reason"])
    return _("Request paused.")


def _resume(request, item, data):
    desk.request_resume(request=item, actor=request.user)
    return _("Request resumed; the due date has moved by the paused days.")


def _extend(request, item, data):
    desk.request_extend(
        request=item, actor=request.user, months=data["months"], reason=data["reason"]
    )
    return _("Deadline extended; the requester has been told.")


def _close(request, item, data):
    desk.request_close(
        request=item,
        actor=request.user,
        outcome=data["outcome"],
        response_summary=data["response_summary"],
        response_sent_on=data["response_sent_on"],
    )
    return _("Request closed.")


request_send_link = _step(None, "", _send_link)
request_evidence = _step(EvidenceForm, "evidence_form", _evidence)
request_pause = _step(PauseForm, "pause_form", _pause)
request_resume = _step(None, "", _resume)
request_extend = _step(ExtendForm, "extend_form", _extend)
request_close = _step(CloseForm, "close_form", _close)


# --- subjects: restriction and erasure on behalf of a requester ------------------------------------
# The address is personal data: it travels in POST bodies, and the subject page's URL carries only
# a short-lived token sealed for this DPO (desk.subject_lookup_token), never the address, so it
# reaches no access log, browser history or Referer header.


def _subject_url(actor, email: str) -> str:
    return reverse("dpo:subject_found", args=[desk.subject_lookup_token(actor=actor, email=email)])


def _subject_page(
    request,
    *,
    email: str,
    status: int = 200,
    lookup_form=None,
    erase_form=None,
    restrict_form=None,
    error: str = "",
):
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    context = {
        "lookup_form": lookup_form or SubjectLookupForm(initial={"email": email}),
        "email": email,
        "subject": user,
        "plan": erasure_plan(user=user, email=email) if email else None,
        "restriction": (
            selectors.active_restriction(actor=request.user, user=user) if user else None
        ),
        "erase_form": erase_form or EraseForm(initial={"email": email}),
        "exports": (list(selectors.exports_for(actor=request.user, user=user)[:3]) if user else []),
        "export_days": settings.EXPORT_DAYS,
        "restrict_form": restrict_form or RestrictForm(),
        "error": error,
    }
    return render(request, "privacy/desk/subject.html", context, status=status)


@dpo_required
def subject(request: HttpRequest) -> HttpResponse:
    """The lookup form (GET), and the lookup itself (POST): on to the subject's page."""
    if request.method != "POST":
        return _subject_page(request, email="")  # an ?email= in the URL is ignored
    form = SubjectLookupForm(request.POST)
    if not form.is_valid():
        return _subject_page(request, email="", status=400, lookup_form=form)
    return redirect(_subject_url(request.user, form.cleaned_data["email"]))


@dpo_required
def subject_found(request: HttpRequest, token: str) -> HttpResponse:
    email = desk.subject_lookup_email(actor=request.user, token=token)
    if email is None:
        return _subject_page(
            request,
            email="",
            status=404,
            error=_(
                "This lookup has expired (after %(minutes)s minutes) or was not made by you. "
                "Enter the email address again."
            )
            % {"minutes": LOOKUP_MINUTES},
        )
    return _subject_page(request, email=email)


@dpo_required
@require_POST
def subject_erase_view(request: HttpRequest) -> HttpResponse:
    form = EraseForm(request.POST)
    if not form.is_valid():
        email = request.POST.get("email", "")
        return _subject_page(request, email=email, status=400, erase_form=form)
    email = form.cleaned_data["email"]
    plan = subject_erase(email=email, actor=request.user, reason=form.cleaned_data["reason"])
    rows = sum(s.rows for s in plan.steps)
    messages.success(
        request,
        ngettext(
            "Erased: %(rows)s row across the registry.",
            "Erased: %(rows)s rows across the registry.",
            rows,
        )
        % {"rows": rows},
    )
    return redirect(_subject_url(request.user, email))


@dpo_required
@require_POST
def subject_export(request: HttpRequest) -> HttpResponse:
    """One button on the subject's page: queue the same export the learner's "My data" button
    queues (audited with the DPO as the actor); the subject is emailed the link, as when they
    ask themselves. A second click while it is being prepared queues nothing more."""
    email = request.POST.get("email", "")
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    if user is None:
        raise Http404
    export, created = services.export_request_once(user=user, actor=request.user)
    if created:
        messages.success(
            request,
            _(
                "Export queued. We will email the data subject a download link when it is ready, "
                "usually within minutes."
            ),
        )
    else:
        messages.info(
            request,
            _("An export has been being prepared since %(since)s; no second one was queued.")
            % {"since": plain.format_datetime(export.requested_at)},
        )
    return redirect(_subject_url(request.user, email))


@dpo_required
@require_POST
def subject_restrict(request: HttpRequest) -> HttpResponse:
    email = request.POST.get("email", "")
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        raise Http404
    current = selectors.active_restriction(actor=request.user, user=user)
    if request.POST.get("lift") and current is not None:
        services.restriction_lift(restriction=current, actor=request.user, reason="Lifted by DPO")
        messages.success(request, _("Restriction lifted."))
    elif current is None:
        form = RestrictForm(request.POST)
        if not form.is_valid():
            return _subject_page(request, email=email, status=400, restrict_form=form)
        services.restriction_start(
            user=user, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Processing restricted."))
    return redirect(_subject_url(request.user, email))
