"""Course import and export pages, for course authors.

- ``/studio/import/``: upload a course file (a new unpublished course), and the list of courses
  to export;
- ``/studio/courses/<slug>/export/``: what the file holds, and "Download the course file" (a
  POST: every export is audited).

Duplicating a course is the studio's page (``/studio/courses/<slug>/duplicate/``), which may
call :func:`learnward.transfer.services.duplicate_course`.

Someone without the permission gets a 404, as on every staff page.
"""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from learnward.catalog.models import MediaItem
from learnward.core.access import staff_required

from . import services
from .archive import size_label
from .forms import ImportForm
from .selectors import TRANSFER_COURSES, export_summary, transfer_course, transfer_courses


def _course_or_404(request, slug: str):
    course = transfer_course(actor=request.user, slug=slug)
    if course is None:
        raise Http404
    return course


def _imported_message(course) -> str:
    return _(
        "Imported: “%(title)s” is a new course. It is not published: learners do not see it "
        "until you publish it from the studio."
    ) % {"title": course.title}


def _limits() -> dict:
    return {
        "total": size_label(settings.COURSE_IMPORT_MAX_BYTES),
        "file": size_label(settings.COURSE_IMPORT_MAX_FILE_BYTES),
        "entries": settings.COURSE_IMPORT_MAX_ENTRIES,
        "ratio": settings.COURSE_IMPORT_MAX_RATIO,
    }


@staff_required(TRANSFER_COURSES)
@require_http_methods(["GET", "POST"])
def import_course(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                course = services.course_import(
                    upload=form.cleaned_data["course_file"],
                    by=request.user,
                    title=form.cleaned_data["title"] or None,
                )
            except services.CourseImportRefused as exc:
                form.add_error(
                    "course_file",
                    _("The course was not imported. %(reason)s") % {"reason": exc.message},
                )
                status = 400
            else:
                messages.success(request, _imported_message(course))
                people = MediaItem.objects.filter(course=course, shows_people=True).count()
                if people:
                    messages.warning(
                        request,
                        ngettext(
                            "%(count)s media item in it is marked as showing people who could be "
                            "identified: check you have their permission before you publish.",
                            "%(count)s media items in it are marked as showing people who could "
                            "be identified: check you have their permission before you publish.",
                            people,
                        )
                        % {"count": people},
                    )
                return redirect(reverse("transfer:export", kwargs={"slug": course.slug}))
        else:
            status = 400
    context = {
        "form": form,
        "courses": transfer_courses(actor=request.user),
        "limits": _limits(),
    }
    return render(request, "transfer/import.html", context, status=status)


def _export_page(request, course, *, status=200):
    context = {"course": course, "summary": export_summary(course=course)}
    return render(request, "transfer/export.html", context, status=status)


@staff_required(TRANSFER_COURSES)
@require_http_methods(["GET", "POST"])
def export_course(request, slug: str):
    course = _course_or_404(request, slug)
    if request.method == "GET":
        return _export_page(request, course)
    # Held in memory up to 10 MB, then in a temporary file the response closes (and removes).
    out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    try:
        services.course_export(course=course, by=request.user, out=out)
    except services.CourseExportError as exc:
        out.close()
        messages.error(
            request, _("The course was not exported. %(reason)s") % {"reason": exc.message}
        )
        return _export_page(request, course, status=409)
    out.seek(0)
    response = FileResponse(
        out,
        as_attachment=True,
        filename=services.export_file_name(course),
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response
