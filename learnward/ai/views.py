"""AI pages: the opt-in screen and "Ask the course". Thin: rules live in services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import AskForm, OptInForm
from .selectors import ai_calls_for, ai_status, course_for_asking

RECENT_CALLS = 10


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ai_settings(request):
    status = ai_status(user=request.user)
    form = OptInForm(initial={"version": status.version})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "off":
            services.ai_opt_out(user=request.user)
            messages.success(request, _("AI-assisted features are off. Nothing more will be sent."))
            return redirect("ai:settings")
        form = OptInForm(request.POST)
        if form.is_valid():
            try:
                services.ai_opt_in(user=request.user, version=form.cleaned_data["version"])
            except services.AiError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("AI-assisted features are on."))
                return redirect("ai:settings")
        status = ai_status(user=request.user)
        form.data = form.data.copy()
        form.data["version"] = status.version
    calls = list(ai_calls_for(actor=request.user, user=request.user)[:RECENT_CALLS])
    context = {
        "status": status,
        "form": form,
        "opt_out_text": services.opt_out_text(),
        "calls": calls,
    }
    status_code = 400 if form.errors else 200
    return _private(render(request, "ai/settings.html", context, status=status_code))


@login_required
@require_http_methods(["GET", "POST"])
def ask(request, slug: str):
    course, may_ask = course_for_asking(user=request.user, slug=slug)
    context = {"course": course, "may_ask": may_ask, "ai": ai_status(user=request.user)}
    if not may_ask:
        return _private(render(request, "ai/ask.html", context, status=403))
    form = AskForm(request.POST or None, initial={"lesson": request.GET.get("lesson")})
    context["form"] = form
    if request.method == "POST":
        if form.is_valid():
            try:
                context["result"] = services.course_ask(
                    user=request.user, course=course, question=form.cleaned_data["question"]
                )
            except services.AiError as exc:
                form.add_error("question", str(exc))
        if form.errors:
            return _private(render(request, "ai/ask.html", context, status=400))
    return _private(render(request, "ai/ask.html", context))
