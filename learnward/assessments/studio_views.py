"""Author pages in the studio (/studio/courses/<slug>/bank/ and .../assessment/) and the tutors'
marking queue (/tutor/marking/). Access: authors (the "Course author" role's
``assessments.author_assessments``) see every course; a tutor (``assessments.mark_essays``)
marks only the essays of the courses they tutor; anything else is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnward.catalog.models import Module
from learnward.core.access import staff_required

from . import authoring
from .forms import AssessmentForm, MarkingForm, QuestionForm
from .models import Assessment, Question
from .selectors import (
    AUTHOR_PERMISSION,
    MARKER_PERMISSION,
    assessment_for_course,
    assessment_problems,
    author_course_get,
    bank_categories,
    bank_question_get,
    course_quiz_get,
    course_quizzes,
    marking_answer_get,
    marking_queue,
    question_analytics,
)
from .services import AssessmentError, essay_mark, essay_moderate

author_required = staff_required(AUTHOR_PERMISSION)
marker_required = staff_required(MARKER_PERMISSION)
_STATUS = {"invalid": 400, "conflict": 409}


def _bank_url(course) -> str:
    return reverse("assessments_studio:bank", args=[course.slug])


@author_required
def bank(request, slug: str):
    course = author_course_get(actor=request.user, slug=slug)
    error, status = "", 200
    if request.method == "POST":
        try:
            category = authoring.category_create(
                course=course, by=request.user, name=request.POST.get("name", "")
            )
        except AssessmentError as exc:
            error, status = exc.message, 400
        else:
            messages.success(request, _("Category “%(name)s” added.") % {"name": category.name})
            return redirect(_bank_url(course))
    return render(
        request,
        "assessments/studio/bank.html",
        {
            "course": course,
            "categories": bank_categories(course=course),
            "kinds": Question.Kind.choices,
            "error": error,
            "name": request.POST.get("name", "") if error else "",
        },
        status=status,
    )


def _question_page(request, course, *, kind: str, question: Question | None):
    if kind not in Question.Kind.values:
        raise Http404("No such question type")
    status = 200
    if request.method == "POST":
        form = QuestionForm(request.POST, course=course, kind=kind)
        if form.is_valid():
            try:
                saved = authoring.question_save(
                    course=course, by=request.user, spec=form.spec(), question=question
                )
            except AssessmentError as exc:
                form.add_error(None, exc.message)
                status = _STATUS.get(exc.code, 400)
            else:
                messages.success(request, _("Question saved. It is in use from the next attempt."))
                if "another" in request.POST:
                    url = reverse("assessments_studio:question_new", args=[course.slug, kind])
                    return redirect(f"{url}?category={saved.category_id}")
                return redirect(_bank_url(course))
        else:
            status = 400
    elif question is not None:
        form = QuestionForm(initial=QuestionForm.initial_for(question), course=course, kind=kind)
    else:
        initial = {"category": request.GET.get("category")} if request.GET.get("category") else {}
        form = QuestionForm(initial=initial, course=course, kind=kind)
    if not form.fields["category"].queryset.exists():
        messages.info(request, _("Add a category first: every question belongs to one."))
        return redirect(_bank_url(course))
    return render(
        request,
        "assessments/studio/question_form.html",
        {
            "course": course,
            "form": form,
            "kind": kind,
            "kind_label": Question.Kind(kind).label,
            "question": question,
            "in_use": question is not None and authoring.question_in_use(question),
        },
        status=status,
    )


@author_required
def question_new(request, slug: str, kind: str):
    course = author_course_get(actor=request.user, slug=slug)
    return _question_page(request, course, kind=kind, question=None)


@author_required
def question_edit(request, slug: str, question_id: int):
    course = author_course_get(actor=request.user, slug=slug)
    question = bank_question_get(course=course, question_id=question_id)
    return _question_page(request, course, kind=question.kind, question=question)


@author_required
@require_POST
def question_retire(request, slug: str, question_id: int):
    course = author_course_get(actor=request.user, slug=slug)
    question = bank_question_get(course=course, question_id=question_id)
    retire = request.POST.get("retire") != "0"
    authoring.question_retire(question=question, by=request.user, retire=retire)
    messages.success(
        request,
        _("Question retired: it is no longer drawn.") if retire else _("Question back in use."),
    )
    return redirect(_bank_url(course))


@author_required
@require_POST
def question_delete(request, slug: str, question_id: int):
    course = author_course_get(actor=request.user, slug=slug)
    question = bank_question_get(course=course, question_id=question_id)
    try:
        authoring.question_delete(question=question, by=request.user)
    except AssessmentError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Question deleted."))
    return redirect(_bank_url(course))


def _assessment_page(request, course, *, assessment: Assessment | None, module=None):
    categories = bank_categories(course=course)
    formative = module is not None or (assessment is not None and assessment.formative)
    status = 200
    if request.method == "POST":
        form = AssessmentForm(request.POST, categories=categories, formative=formative)
        if form.is_valid():
            try:
                saved = authoring.assessment_save(
                    course=course,
                    by=request.user,
                    spec=form.spec(),
                    assessment=assessment,
                    module=module,
                )
            except AssessmentError as exc:
                for category_id, message in exc.question_errors.items():
                    form.add_error(f"draw-{category_id}", message)
                if not exc.question_errors:
                    form.add_error(None, exc.message)
                status = 400
            else:
                messages.success(request, _("Saved. New attempts use these settings."))
                if saved.formative:
                    return redirect("assessments_studio:quiz", slug=course.slug, quiz_id=saved.pk)
                return redirect("assessments_studio:assessment", slug=course.slug)
        else:
            status = 400
    else:
        initial = {
            "title": module
            and _("Quiz: %(module)s") % {"module": module.title}
            or _("Final assessment")
        }
        if assessment is not None:
            initial = {
                "title": assessment.title,
                "instructions": assessment.instructions,
                "time_limit_minutes": assessment.time_limit_minutes,
                "shuffle_questions": assessment.shuffle_questions,
                "shuffle_choices": assessment.shuffle_choices,
                "second_marking": assessment.second_marking,
                **{f"draw-{r.category_id}": r.count for r in assessment.rules.all()},
            }
        form = AssessmentForm(initial=initial, categories=categories, formative=formative)
    quizzes = course_quizzes(course=course)
    with_quiz = {q.module_id for q in quizzes}
    return render(
        request,
        "assessments/studio/assessment.html",
        {
            "course": course,
            "form": form,
            "assessment": assessment,
            "formative": formative,
            "module": module or (assessment.module if formative and assessment else None),
            "problems": assessment_problems(assessment=assessment) if assessment else [],
            "quizzes": quizzes,
            "modules_without_quiz": [
                m for m in Module.objects.live().filter(course=course) if m.pk not in with_quiz
            ],
            "categories": categories,
        },
        status=status,
    )


@author_required
def assessment_settings(request, slug: str):
    course = author_course_get(actor=request.user, slug=slug)
    return _assessment_page(request, course, assessment=assessment_for_course(course=course))


@author_required
def quiz_new(request, slug: str):
    course = author_course_get(actor=request.user, slug=slug)
    module_id = request.GET.get("module") or request.POST.get("module")
    module = Module.objects.live().filter(course=course, pk=module_id or 0).first()
    if module is None:
        raise Http404("No such module")
    existing = Assessment.objects.filter(module=module).first()
    if existing is not None:
        return redirect("assessments_studio:quiz", slug=course.slug, quiz_id=existing.pk)
    return _assessment_page(request, course, assessment=None, module=module)


@author_required
def quiz_edit(request, slug: str, quiz_id: int):
    course = author_course_get(actor=request.user, slug=slug)
    quiz = course_quiz_get(course=course, quiz_id=quiz_id)
    return _assessment_page(request, course, assessment=quiz)


@author_required
def analytics(request, slug: str):
    course = author_course_get(actor=request.user, slug=slug)
    return render(
        request,
        "assessments/studio/analytics.html",
        {"course": course, "rows": question_analytics(course=course)},
    )


# --- tutors --------------------------------------------------------------------------------------


@marker_required
def marking_home(request):
    return render(
        request, "assessments/marking/queue.html", {"queue": marking_queue(actor=request.user)}
    )


@marker_required
def marking_answer(request, answer_id: int):
    answer = marking_answer_get(actor=request.user, answer_id=answer_id)
    attempt = answer.attempt
    criteria = list(answer.question.criteria.all())
    marking = getattr(answer, "marking", None)
    moderating = (
        marking is not None
        and attempt.assessment.second_marking
        and marking.moderated_at is None
        and marking.marker_id != request.user.pk
    )
    if marking is not None and not moderating:
        # Marked (and moderated where asked), or waiting for another tutor: nothing to do here.
        return render(
            request,
            "assessments/marking/done.html",
            {
                "answer": answer,
                "attempt": attempt,
                "marking": marking,
                "course": attempt.assessment.owner_course,
            },
            status=409 if request.method == "POST" else 200,
        )
    errors, status = {}, 200
    form = MarkingForm(request.POST or None)
    sent_marks = {c.pk: request.POST.get(f"criterion-{c.pk}", "") for c in criteria}
    if request.method == "POST":
        try:
            if moderating:
                essay_moderate(
                    answer_id=answer.pk,
                    actor=request.user,
                    agree=request.POST.get("decision") == "agree",
                    marks=sent_marks,
                    note=request.POST.get("note", ""),
                )
            else:
                essay_mark(
                    answer_id=answer.pk,
                    actor=request.user,
                    marks=sent_marks,
                    feedback=request.POST.get("feedback", ""),
                )
        except AssessmentError as exc:
            if exc.code == "not_found":
                raise Http404("No such answer") from exc
            errors = {"summary": exc.message, **exc.question_errors}
            status = _STATUS.get(exc.code, 400)
        else:
            messages.success(
                request, _("Moderation saved.") if moderating else _("Marks and feedback saved.")
            )
            return redirect("assessments_studio:marking")
    if moderating and not sent_marks.get(criteria[0].pk if criteria else 0):
        given = {m.criterion_id: m.marks for m in marking.marks.all()}
        sent_marks = {c.pk: given.get(c.pk, "") for c in criteria}
    return render(
        request,
        "assessments/marking/answer.html",
        {
            "answer": answer,
            "attempt": attempt,
            "course": attempt.assessment.owner_course,
            "marking": marking,
            "moderating": moderating,
            "rows": [
                {"criterion": c, "value": sent_marks.get(c.pk, ""), "error": errors.get(c.pk)}
                for c in criteria
            ],
            "errors": errors,
            "form": form,
            "note": request.POST.get("note", ""),
        },
        status=status,
    )
