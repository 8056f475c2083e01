"""Evaluating a completed course, and the results for course authors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learnward.core.access import staff_required
from learnward.privacy.consent.services import consent_given

from . import selectors, services
from .forms import EvaluationForm


@login_required
def evaluation_list(request):
    items = selectors.completions_to_evaluate(actor=request.user)
    return render(request, "evaluations/list.html", {"items": items})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluate(request, completion_id: int):
    completion = selectors.completion_for_evaluation(
        actor=request.user, completion_id=completion_id
    )
    course = completion.enrolment.course
    evaluation = selectors.evaluation_for(actor=request.user, completion=completion)
    research_text = services.research_consent_text(course.title)
    initial = {}
    if evaluation is not None:
        initial = {
            "rating": evaluation.rating,
            "comments": evaluation.comments,
            "share_comments": evaluation.share_comments,
            "research": consent_given(
                user=request.user, purpose="research", topic=evaluation.research_topic
            ),
        }
    form = EvaluationForm(request.POST or None, initial=initial, research_text=research_text)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.evaluation_submit(
                    user=request.user,
                    completion=completion,
                    rating=data["rating"],
                    comments=data["comments"],
                    share_comments=data["share_comments"],
                    research=data["research"],
                )
            except services.EvaluationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Thank you for your evaluation."))
                return redirect("evaluations:list")
        status = 400
    return render(
        request,
        "evaluations/evaluate.html",
        {"form": form, "course": course, "evaluation": evaluation},
        status=status,
    )


@staff_required(selectors.RESULTS_PERMISSION)
def results_list(request):
    courses = selectors.courses_with_results(actor=request.user)
    return render(request, "evaluations/results_list.html", {"courses": courses})


@staff_required(selectors.RESULTS_PERMISSION)
def results(request, slug: str):
    from learnward.catalog.models import Course

    course = get_object_or_404(Course, slug=slug)
    result = selectors.course_results(actor=request.user, course=course)
    research = None
    if selectors.can_use_for_research(request.user):
        research = selectors.research_comments(actor=request.user, course=course)
    return render(
        request,
        "evaluations/results.html",
        {"result": result, "course": course, "research": research},
    )
