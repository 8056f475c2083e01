"""The provider dashboard at /staff/insights/ and its CSV exports. Thin: access and data live in
selectors, drawing in dashboard.py and charts.py."""

from __future__ import annotations

from functools import wraps

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from learnward.core.access import staff_required

from . import selectors
from .dashboard import figures, headlines
from .exports import chart_csv
from .periods import period_from
from .services import dashboard_export_record
from .suppression import min_count


def insights_access(view):
    """The one staff check, with "allowed a scope" as its rule; the view gets the scope."""

    @staff_required(selectors.can_view_insights)
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, selectors.insights_scope(actor=request.user), *args, **kwargs)

    return wrapped


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _course_filter(request, scope):
    """The scope narrowed to the ``course`` chosen in the filter (a course the viewer may not
    see is a 404), and that course."""
    slug = request.GET.get("course", "").strip() if scope.courses else ""
    return selectors.scope_for_course(scope=scope, slug=slug)


@insights_access
def dashboard(request, scope):
    today = timezone.localdate()
    full_scope = scope
    scope, course = _course_filter(request, scope)
    # The period applies to the course charts; the DPO panel is always about today.
    period, form = period_from(request.GET if scope.courses else {}, today=today)
    context = {
        "course": course,
        "course_choices": selectors.scope_course_choices(scope=scope),
        "headlines": [],
        "scope": scope,
        "form": form,
        "period": period,
        "today": today,
        "min_count": min_count(),
        "tutored_courses": selectors.scope_courses(scope=scope),
        "figures": [],
        "panel": None,
    }
    if period is None:
        return _no_store(render(request, "insights/dashboard.html", context, status=400))
    context["figures"] = figures(scope=scope, period=period, today=today, course=course)
    context["headlines"] = headlines(context["figures"])
    if scope.dpo:
        context["panel"] = selectors.dpo_panel(actor=request.user, scope=full_scope, today=today)
    return _no_store(render(request, "insights/dashboard.html", context))


@insights_access
def export(request, scope, chart: str):
    if chart not in selectors.CHARTS or not scope.courses:
        raise Http404
    today = timezone.localdate()
    scope, _ = _course_filter(request, scope)
    period, form = period_from(request.GET, today=today)
    if period is None:
        messages = " ".join(message for _, message in form.error_summary())
        return _no_store(
            HttpResponse(messages, status=400, content_type="text/plain; charset=utf-8")
        )
    data = selectors.chart_data(scope=scope, name=chart, period=period, today=today)
    dashboard_export_record(actor=request.user, chart=chart)
    response = HttpResponse(chart_csv(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="insights-{chart}-{period.slug}.csv"'
    return _no_store(response)
