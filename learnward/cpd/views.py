"""CPD record pages. Thin: access in selectors, rules in services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learnward.core.i18n import use_language

from . import exports, services
from .forms import ActivityForm, RangeForm, ReflectionForm
from .prompts import activity_prompts, prompts_for_course
from .selectors import activity_for, completed_course_for, cpd_record, reflection_for_activity


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _range(request) -> tuple[RangeForm, dict]:
    form = RangeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, {"start": form.cleaned_data["start"], "end": form.cleaned_data["end"]}
    return form, {}


@login_required
@require_GET
def record(request):
    form, dates = _range(request)
    status = 400 if form.errors else 200
    context = {
        "range_form": form,
        "record": cpd_record(actor=request.user, user=request.user, **dates),
        "query": request.GET.urlencode() if not form.errors else "",
    }
    return _private(render(request, "cpd/record.html", context, status=status))


@login_required
@require_GET
def export(request):
    form, dates = _range(request)
    fmt = request.GET.get("format", "pdf")
    if form.errors or fmt not in ("pdf", "csv"):
        context = {
            "range_form": form,
            "record": cpd_record(actor=request.user, user=request.user),
            "export_error": _("Choose PDF or CSV.") if fmt not in ("pdf", "csv") else "",
        }
        return _private(render(request, "cpd/record.html", context, status=400))
    # The CSV is a machine format: its columns and values (types, statuses) are the same in
    # every language. The PDF is written in the learner's saved language.
    language = settings.LANGUAGE_CODE if fmt == "csv" else request.user.language
    with use_language(language):
        data = cpd_record(actor=request.user, user=request.user, **dates)
        stamp = "-".join(d.isoformat() for d in (data.start, data.end) if d) or "all"
        if fmt == "csv":
            body = exports.record_csv(data)
            response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        else:
            pdf = exports.record_pdf(data, holder_name=request.user.display_name or _("Learner"))
            response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cpd-record-{stamp}.{fmt}"'
    return _private(response)


def _activity_values(form: ActivityForm) -> dict:
    return {
        k: form.cleaned_data[k] for k in ("title", "activity_type", "occurred_on", "hours", "notes")
    }


def _service_error(form, exc: services.CpdError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request):
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_add(user=request.user, **_activity_values(form))
        except services.CpdError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Activity added to your CPD record."))
            return redirect("cpd:record")
    status = 400 if form.errors else 200
    context = {"form": form, "heading": _("Add an outside activity")}
    return _private(render(request, "cpd/activity_form.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id: int):
    activity = activity_for(actor=request.user, activity_id=activity_id)
    initial = {
        "title": activity.title,
        "activity_type": activity.activity_type,
        "occurred_on": activity.occurred_on,
        "hours": activity.hours,
        "notes": activity.notes,
    }
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(user=request.user, activity=activity, **_activity_values(form))
        except services.CpdError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("Activity updated."))
            return redirect("cpd:record")
    status = 400 if form.errors else 200
    context = {"form": form, "activity": activity, "heading": _("Change an outside activity")}
    return _private(render(request, "cpd/activity_form.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, activity_id: int):
    activity = activity_for(actor=request.user, activity_id=activity_id)
    if request.method == "POST":
        services.activity_delete(user=request.user, activity=activity)
        messages.success(request, _("Activity deleted from your CPD record."))
        return redirect("cpd:record")
    return _private(render(request, "cpd/activity_delete.html", {"activity": activity}))


def _reflection_initial(reflection) -> dict:
    if reflection is None:
        return {}
    return {"what": reflection.what, "so_what": reflection.so_what, "now_what": reflection.now_what}


def _reflect(request, *, title, date_label, prompts, save, reflection, tailor_available):
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "save":
        form = ReflectionForm(request.POST)
        form.set_prompts(prompts.questions)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except services.CpdError as exc:
                _service_error(form, exc)
            else:
                messages.success(request, _("Reflection saved."))
                return redirect("cpd:record")
    else:
        initial = _reflection_initial(reflection)
        if action == "tailor":  # keep whatever the learner has typed so far, unsaved
            initial = {n: request.POST.get(n, "") for n in ("what", "so_what", "now_what")}
        form = ReflectionForm(initial=initial)
        form.set_prompts(prompts.questions)
    context = {
        "form": form,
        "title": title,
        "date_label": date_label,
        "prompts": prompts,
        "tailor_available": tailor_available,
        "reflection": reflection,
    }
    status = 400 if form.is_bound and form.errors else 200
    return _private(render(request, "cpd/reflect.html", context, status=status))


@login_required
@require_http_methods(["GET", "POST"])
def reflect_course(request, course_id: int):
    from learnward.ai.selectors import ai_status

    entry = completed_course_for(actor=request.user, course_id=course_id)
    ai = ai_status(user=request.user)
    tailored = request.method == "POST" and request.POST.get("action") == "tailor"
    prompts = prompts_for_course(
        user=request.user, course_id=course_id, course_title=entry.title, tailored=tailored
    )

    def save(data):
        services.reflection_save(
            user=request.user, course_id=course_id, course_title=entry.title, **data
        )

    return _reflect(
        request,
        title=entry.title,
        date_label=_("Completed on %(date)s") % {"date": format_date(entry.date, "d F Y")},
        prompts=prompts,
        save=save,
        reflection=entry.reflection,
        tailor_available=ai.enabled,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflect_activity(request, activity_id: int):
    activity = activity_for(actor=request.user, activity_id=activity_id)

    def save(data):
        services.reflection_save(user=request.user, activity=activity, **data)

    return _reflect(
        request,
        title=activity.title,
        date_label=_("%(type)s on %(date)s")
        % {
            "type": activity.get_activity_type_display(),
            "date": format_date(activity.occurred_on, "d F Y"),
        },
        prompts=activity_prompts(title=activity.title),
        save=save,
        reflection=reflection_for_activity(actor=request.user, activity=activity),
        tailor_available=False,
    )
