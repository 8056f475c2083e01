"""The DPO's staff pages under /staff/privacy/: records of processing and the breach register."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learnward.core.access import staff_required
from learnward.privacy.records import breaches
from learnward.privacy.records.breach_forms import (
    BreachForm,
    IcoDecisionForm,
    NotifyForm,
    PeopleDecisionForm,
)
from learnward.privacy.records.breaches import BreachError
from learnward.privacy.records.ropa import build_ropa, ropa_csv, ropa_for_people
from learnward.privacy.registry.plain import category_labels

ROPA_PERMISSION = "privacy_records.view_records_of_processing"


@staff_required(ROPA_PERMISSION)
def records_of_processing(request):
    ropa = build_ropa()
    fmt = request.GET.get("format", "")
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(ropa_csv(ropa), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="records-of-processing-{stamp}.csv"'
        )
        return response
    if fmt == "json":
        response = HttpResponse(
            json.dumps(ropa, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="records-of-processing-{stamp}.json"'
        )
        return response
    return render(request, "privacy/ropa.html", {"ropa": ropa_for_people(ropa)})


# --- Breach register -------------------------------------------------------------------------------


def _form_values(form: BreachForm) -> dict:
    return {name: form.cleaned_data[name] for name in breaches.EDITABLE_FIELDS}


def _initial(breach) -> dict:
    return {name: getattr(breach, name) for name in breaches.EDITABLE_FIELDS}


@staff_required(breaches.VIEW_PERMISSION)
def breach_list(request):
    items = [(b, breaches.breach_clock(b)) for b in breaches.breaches_for(actor=request.user)]
    return render(request, "privacy/breach_list.html", {"items": items})


@staff_required(breaches.ADD_PERMISSION)
def breach_new(request):
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = _form_values(form)
        try:
            breach = breaches.breach_record(
                actor=request.user,
                title=values.pop("title"),
                detected_at=values.pop("detected_at"),
                **{k: v for k, v in values.items() if v not in (None, "", [])},
            )
        except BreachError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Breach recorded. The 72-hour clock runs from detection."))
            return redirect("privacy_staff:breach", pk=breach.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "privacy/breach_form.html", {"form": form, "breach": None}, status=status
    )


@staff_required(breaches.VIEW_PERMISSION)
def breach_detail(request, pk: int):
    breach = breaches.breach_for(actor=request.user, pk=pk)
    return _detail(request, breach)


def _detail(request, breach, *, ico_form=None, people_form=None, notify_form=None, status=200):
    can_change = request.user.has_perm(breaches.CHANGE_PERMISSION)
    context = {
        "breach": breach,
        "clock": breaches.breach_clock(breach),
        "can_change": can_change,
        "ico_form": ico_form
        or IcoDecisionForm(
            prefix="ico",
            initial={
                "decision": breach.ico_decision
                if breach.ico_decision != breach.Decision.PENDING
                else None,
                "reasons": breach.ico_decision_reasons,
                "notified_at": breach.ico_notified_at,
                "reference": breach.ico_reference,
                "delay_reasons": breach.delay_reasons,
            },
        ),
        "people_form": people_form
        or PeopleDecisionForm(
            prefix="people",
            initial={
                "decision": breach.people_decision
                if breach.people_decision != breach.Decision.PENDING
                else None,
                "reasons": breach.people_decision_reasons,
            },
        ),
        "notify_form": notify_form or NotifyForm(prefix="notify"),
        "notifications": breaches.notified_people(actor=request.user, breach=breach),
        # Category labels ("Name, Email address"), never the keys (user.name).
        "categories": category_labels(breach.data_categories),
    }
    return render(request, "privacy/breach_detail.html", context, status=status)


@staff_required(breaches.CHANGE_PERMISSION)
def breach_edit(request, pk: int):
    breach = breaches.breach_for(actor=request.user, pk=pk)
    form = BreachForm(request.POST or None, initial=_initial(breach))
    if request.method == "POST" and form.is_valid():
        try:
            changed = breaches.breach_update(
                breach=breach, actor=request.user, **_form_values(form)
            )
        except BreachError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Breach updated.") if changed else _("Nothing changed."))
            return redirect("privacy_staff:breach", pk=breach.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "privacy/breach_form.html", {"form": form, "breach": breach}, status=status
    )


def _breach_step(request, pk: int, *, form_class, prefix: str, act):
    """One decision on a breach's page: ``act(breach, cleaned_data)`` records it through the
    service and returns what to tell the DPO; a refusal shows the page again with the error."""
    breach = breaches.breach_for(actor=request.user, pk=pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            message = act(breach, form.cleaned_data)
        except BreachError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, message)
            return redirect("privacy_staff:breach", pk=breach.pk)
    breach.refresh_from_db()
    return _detail(request, breach, status=400, **{f"{prefix}_form": form})


@require_POST
@staff_required(breaches.CHANGE_PERMISSION)
def breach_ico(request, pk: int):
    def act(breach, data):
        breaches.breach_decide_ico(
            breach=breach,
            actor=request.user,
            decision=data["decision"],
            reasons=data["reasons"],
            notified_at=data["notified_at"],
            reference=data["reference"],
            delay_reasons=data["delay_reasons"],
        )
        return _("Decision about the ICO recorded.")

    return _breach_step(request, pk, form_class=IcoDecisionForm, prefix="ico", act=act)


@require_POST
@staff_required(breaches.CHANGE_PERMISSION)
def breach_people(request, pk: int):
    def act(breach, data):
        breaches.breach_decide_people(
            breach=breach, actor=request.user, decision=data["decision"], reasons=data["reasons"]
        )
        return _("Decision about telling the people affected recorded.")

    return _breach_step(request, pk, form_class=PeopleDecisionForm, prefix="people", act=act)


@require_POST
@staff_required(breaches.CHANGE_PERMISSION)
def breach_notify(request, pk: int):
    def act(breach, data):
        queued = breaches.breach_notify_people(
            breach=breach, actor=request.user, users=data["users"]
        )
        if queued:
            return ngettext(
                "%(count)s person will be emailed.", "%(count)s people will be emailed.", queued
            ) % {"count": queued}
        return _("Everyone listed has already been told; nobody was emailed again.")

    return _breach_step(request, pk, form_class=NotifyForm, prefix="notify", act=act)
