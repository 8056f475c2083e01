"""Exam pages: "My results" for learners; for teachers, the sittings they hold, entering marks
by hand or from a CSV (upload, preview, confirm), moderation and release; for exam managers,
creating a sitting. Thin: access in selectors, rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learnward.core import csvupload

from . import marks_csv, selectors, services
from .forms import ConfirmForm, MarksUploadForm, ModerateForm, ReleaseForm, SittingForm
from .models import ExamResult


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_results(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    results = [
        {"result": r, "released": r.sitting.released(now)}
        for r in selectors.results_for_learner(actor=request.user)
    ]
    return _private(render(request, "exams/my_results.html", {"results": results}))


@login_required
def sittings(request: HttpRequest) -> HttpResponse:
    found = selectors.sittings_for_teacher(actor=request.user)
    context = {"sittings": found, "can_manage": selectors.can_manage(request.user)}
    return _private(render(request, "exams/sittings.html", context))


@login_required
def sitting_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_manage(request.user):
        raise Http404
    form = SittingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sitting = services.exam_sitting_create(actor=request.user, **data)
        except services.ExamError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Exam sitting “%(title)s” created.") % {"title": sitting.title}
            )
            return redirect("exams:sitting", pk=sitting.pk)
    return _private(
        render(
            request, "exams/sitting_create.html", {"form": form}, status=400 if form.errors else 200
        )
    )


def _sitting_page(request, sitting, *, status=200, error="", release_form=None):
    results = selectors.sitting_results(sitting=sitting)
    rows = [
        {"user": user, "result": results.get(user.pk)}
        for user in selectors.sitting_candidates(sitting=sitting)
    ]
    user = request.user
    context = {
        "sitting": sitting,
        "rows": rows,
        "released": sitting.released(),
        "teaches": selectors.can_manage(user) or sitting.teachers.filter(pk=user.pk).exists(),
        "moderates": sitting.moderator_id == user.pk or selectors.can_manage(user),
        "waiting_moderation": sum(
            1 for r in results.values() if sitting.moderator_id and r.moderated_at is None
        ),
        "error": error,
        "release_form": release_form
        or ReleaseForm(initial={"release_at": sitting.results_release_at or timezone.now()}),
        "teachers": sitting.teachers.order_by("display_name"),
    }
    return _private(render(request, "exams/sitting.html", context, status=status))


@login_required
def sitting(request: HttpRequest, pk: int) -> HttpResponse:
    """The sitting's learners and marks; POST saves the marks typed in the table (all or none)."""
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    if request.method != "POST":
        return _sitting_page(request, found)
    by_id = {u.pk: u for u in selectors.sitting_candidates(sitting=found)}
    entries = []
    for user_id, user in by_id.items():
        marks = request.POST.get(f"marks-{user_id}", "").strip()
        if not marks:
            continue
        note = request.POST.get(f"note-{user_id}", "")
        try:
            entries.append(
                services.Entry(
                    user=user, marks=services.parse_marks(marks, sitting=found), note=note
                )
            )
        except services.ExamError as exc:
            if user.display_name:
                error = _("Marks for %(name)s: %(problem)s Nothing was saved.") % {
                    "name": user.display_name,
                    "problem": exc.message,
                }
            else:
                error = _("Marks for a learner: %(problem)s Nothing was saved.") % {
                    "problem": exc.message
                }
            return _sitting_page(request, found, status=400, error=error)
    try:
        saved = services.exam_results_enter(actor=request.user, sitting=found, entries=entries)
    except services.ExamError as exc:
        return _sitting_page(request, found, status=400, error=exc.message)
    messages.success(
        request,
        ngettext(
            "Marks saved for %(count)s learner.", "Marks saved for %(count)s learners.", len(saved)
        )
        % {"count": len(saved)},
    )
    return redirect("exams:sitting", pk=found.pk)


@login_required
def marks_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    text = marks_csv.marks_sheet(sitting=found, results=selectors.sitting_results(sitting=found))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="marks-sheet-{found.pk}.csv"'
    return _private(response)


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    form = MarksUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read(csvupload.MAX_BYTES + 1)
        try:
            rows = marks_csv.parse_upload(data)
        except csvupload.CsvRefused as exc:
            form.add_error("file", exc.message)
        else:
            upload_id = csvupload.upload_store(
                request.session,
                prefix=marks_csv.SESSION_PREFIX,
                scope=[found.pk, request.user.pk],
                rows=rows,
            )
            return redirect("exams:upload_preview", pk=found.pk, upload_id=upload_id)
    return _private(
        render(
            request,
            "exams/upload.html",
            {"sitting": found, "form": form},
            status=400 if form.errors else 200,
        )
    )


def _stored(request, sitting, upload_id: str):
    rows = csvupload.upload_load(
        request.session,
        prefix=marks_csv.SESSION_PREFIX,
        upload_id=upload_id,
        scope=[sitting.pk, request.user.pk],
    )
    if rows is None:
        raise Http404
    return rows


@login_required
def upload_preview(request: HttpRequest, pk: int, upload_id: str) -> HttpResponse:
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    rows = _stored(request, found, upload_id)
    error = ""
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                saved = services.exam_results_enter_from_csv(
                    actor=request.user,
                    sitting=found,
                    rows=rows,
                    expected=form.cleaned_data["expected"],
                )
            except services.ExamError as exc:
                error = exc.message
            else:
                csvupload.upload_forget(
                    request.session, prefix=marks_csv.SESSION_PREFIX, upload_id=upload_id
                )
                messages.success(
                    request,
                    ngettext(
                        "Marks imported for %(count)s learner.",
                        "Marks imported for %(count)s learners.",
                        len(saved),
                    )
                    % {"count": len(saved)},
                )
                return redirect("exams:sitting", pk=found.pk)
        else:
            error = _("Check the file again before importing.")
    checks = marks_csv.check_rows(rows, sitting=found)
    bad = [c for c in checks if not c.ok]
    context = {
        "sitting": found,
        "checks": checks,
        "bad": bad,
        "error": error,
        "upload_id": upload_id,
        "released": found.released(),
    }
    return _private(
        render(request, "exams/upload_preview.html", context, status=400 if error else 200)
    )


@login_required
def upload_preview_csv(request: HttpRequest, pk: int, upload_id: str) -> HttpResponse:
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    checks = marks_csv.check_rows(_stored(request, found, upload_id), sitting=found)
    response = HttpResponse(marks_csv.outcomes_csv(checks), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="marks-check.csv"'
    return _private(response)


@login_required
def moderate(request: HttpRequest, pk: int, result_pk: int) -> HttpResponse:
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    result = ExamResult.objects.select_related("user").filter(sitting=found, pk=result_pk).first()
    if result is None:
        raise Http404
    initial = {
        "marks": "" if result.marks is None else f"{result.marks.normalize():f}",
        "note": result.note,
    }
    form = ModerateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exam_result_moderate(
                actor=request.user,
                result=result,
                marks=form.cleaned_data["marks"],
                note=form.cleaned_data["note"],
            )
        except services.ExamError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request,
                _("Marks for %(name)s moderated.") % {"name": result.user.display_name},
            )
            return redirect("exams:sitting", pk=found.pk)
    context = {"sitting": found, "result": result, "form": form}
    return _private(
        render(request, "exams/moderate.html", context, status=400 if form.errors else 200)
    )


@require_POST
@login_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.sitting_for_teacher(actor=request.user, pk=pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return _sitting_page(request, found, status=400, release_form=form)
    try:
        done = services.exam_release_schedule(
            actor=request.user, sitting=found, release_at=form.cleaned_data["release_at"]
        )
    except services.ExamError as exc:
        return _sitting_page(request, found, status=400, error=exc.message, release_form=form)
    if done.released():
        messages.success(request, _("Results released: learners can see their marks now."))
    else:
        messages.success(
            request,
            _("Results will be released on %(date)s at %(time)s.")
            % {
                "date": date_format(timezone.localtime(done.results_release_at), "j F Y"),
                "time": date_format(timezone.localtime(done.results_release_at), "H:i"),
            },
        )
    return redirect("exams:sitting", pk=found.pk)
