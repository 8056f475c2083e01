"""Pages for teachers and staff under /staff/sessions/: the sessions they run, a session's
bookings and waitlist, the register, and the QR check-in screen. Staff who manage sessions
(``classes.manage_sessions``) also create, change and cancel sessions and book people; a
teacher (``classes.teach_sessions``) sees only the sessions they teach."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learnward.core.access import staff_required
from learnward.core.i18n import use_language
from learnward.core.links import absolute_url

from . import checkin, selectors, services
from .forms import BookPersonForm, SessionForm
from .models import Attendance, Booking
from .selectors import STAFF_RULE


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(STAFF_RULE)
def sessions(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    context = {
        "sessions": selectors.staff_sessions(actor=request.user, upcoming=not past),
        "past": past,
        "can_manage": selectors.can_manage(request.user),
    }
    return _private(render(request, "classes/staff/sessions.html", context))


def _manager_only(request) -> None:
    from django.http import Http404

    if not selectors.can_manage(request.user):
        raise Http404


def _session_values(data: dict) -> dict:
    return {n: data[n] for n in services.SESSION_FIELDS}


@staff_required(STAFF_RULE)
def session_new(request: HttpRequest) -> HttpResponse:
    _manager_only(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.session_create(
                actor=request.user,
                course=data["course"],
                teachers=list(data["teachers"]),
                **_session_values(data),
            )
        except services.ClassesError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(title)s created.") % {"title": created.title})
            return redirect("classes_staff:session", session_id=created.pk)
    return _private(
        render(
            request,
            "classes/staff/session_form.html",
            {"form": form, "session": None},
            status=400 if form.errors else 200,
        )
    )


@staff_required(STAFF_RULE)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    _manager_only(request)
    session = selectors.staff_session_get(actor=request.user, session_id=session_id)
    form = SessionForm(request.POST or None, initial=SessionForm.initial_for(session))
    form.fields["course"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.session_update(
                actor=request.user,
                session=session,
                teachers=list(data["teachers"]),
                **_session_values(data),
            )
        except services.ClassesError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(title)s saved.") % {"title": session.title})
            return redirect("classes_staff:session", session_id=session.pk)
    return _private(
        render(
            request,
            "classes/staff/session_form.html",
            {"form": form, "session": session},
            status=400 if form.errors else 200,
        )
    )


def _session_page(request, session, *, book_form=None, status: int = 200) -> HttpResponse:
    context = {
        "session": session,
        "rows": selectors.register_rows(actor=request.user, session=session),
        "waitlist": selectors.waitlist_rows(actor=request.user, session=session),
        "can_manage": selectors.can_manage(request.user),
        "book_form": book_form or BookPersonForm(),
        "show_contacts": selectors.show_contact_details(),
    }
    return _private(render(request, "classes/staff/session.html", context, status=status))


@staff_required(STAFF_RULE)
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_page(
        request, selectors.staff_session_get(actor=request.user, session_id=session_id)
    )


@staff_required(STAFF_RULE)
@require_POST
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    _manager_only(request)
    found = selectors.staff_session_get(actor=request.user, session_id=session_id)
    services.session_cancel(actor=request.user, session=found)
    messages.success(
        request,
        _("%(title)s is cancelled; everyone booked has been told.") % {"title": found.title},
    )
    return redirect("classes_staff:session", session_id=found.pk)


@staff_required(STAFF_RULE)
@require_POST
def book_person(request: HttpRequest, session_id: int) -> HttpResponse:
    _manager_only(request)
    found = selectors.staff_session_get(actor=request.user, session_id=session_id)
    form = BookPersonForm(request.POST)
    if form.is_valid():
        learner = form.cleaned_data["user"]
        try:
            booking = services.booking_create(actor=request.user, session=found, user=learner)
        except services.ClassesError as exc:
            form.add_error("email", exc.message)
        else:
            if booking.status == Booking.Status.WAITLISTED:
                done = _("%(name)s is on the waitlist.")
            else:
                done = _("%(name)s is booked.")
            messages.success(request, done % {"name": learner.display_name})
            return redirect("classes_staff:session", session_id=found.pk)
    return _session_page(request, found, book_form=form, status=400)


@staff_required(STAFF_RULE)
@require_POST
def booking_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    _manager_only(request)
    booking = Booking.objects.select_related("user").filter(pk=booking_id).first()
    if booking is None:
        from django.http import Http404

        raise Http404
    found = selectors.staff_session_get(actor=request.user, session_id=booking.session_id)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except services.ClassesError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(name)s's booking is cancelled.") % {"name": booking.user.display_name},
        )
    return redirect("classes_staff:session", session_id=found.pk)


@staff_required(STAFF_RULE)
def register(request: HttpRequest, session_id: int) -> HttpResponse:
    found = selectors.staff_session_get(actor=request.user, session_id=session_id)
    rows = selectors.register_rows(actor=request.user, session=found)
    error = ""
    if request.method == "POST":
        marks = []
        for row in rows:
            status = request.POST.get(f"status-{row.booking.pk}", "")
            note = request.POST.get(f"note-{row.booking.pk}", "")
            if status:
                marks.append(services.Mark(row.booking.pk, status, note))
        try:
            saved = services.attendance_mark(actor=request.user, session=found, marks=marks)
        except services.ClassesError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                ngettext(
                    "Register saved (%(count)s change).",
                    "Register saved (%(count)s changes).",
                    len(saved),
                )
                % {"count": len(saved)},
            )
            return redirect("classes_staff:register", session_id=found.pk)
    context = {
        "session": found,
        "rows": rows,
        "statuses": Attendance.Status.choices,
        "error": error,
        "open": services.register_open(found),
        "show_contacts": selectors.show_contact_details(),
    }
    return _private(
        render(request, "classes/staff/register.html", context, status=400 if error else 200)
    )


def _qr(found) -> dict:
    """Whether check-in is open now and, if it is, a fresh check-in link and its QR code."""
    now = timezone.now()
    window_open = not found.cancelled and found.checkin_opens_at <= now < found.checkin_closes_at
    if not window_open:
        return {"window_open": False}
    token = checkin.make_token(session_id=found.pk)
    # Without a language prefix: each learner who scans it is sent to the page in their own
    # saved language (or their phone's), not in the teacher's.
    with use_language(None):
        url = absolute_url(reverse("classes:check_in", args=[token]))
    code = segno.make(url, error="m", micro=False)
    return {
        "window_open": True,
        "checkin_url": url,
        "qr_src": code.svg_data_uri(scale=8, border=4, dark="#000", light="#fff"),
    }


@staff_required(STAFF_RULE)
def qr(request: HttpRequest, session_id: int) -> HttpResponse:
    """The QR check-in screen: a fresh signed code on every load. A small script
    (classes-qr.js) fetches a new code every rotation period; without it, "Show a new code"
    reloads the page."""
    found = selectors.staff_session_get(actor=request.user, session_id=session_id)
    context = {"session": found, "rotate": checkin.rotate_seconds(), **_qr(found)}
    return _private(render(request, "classes/staff/qr.html", context))


@staff_required(STAFF_RULE)
def qr_code(request: HttpRequest, session_id: int) -> HttpResponse:
    """A fresh code for the QR screen's script, as JSON."""
    found = selectors.staff_session_get(actor=request.user, session_id=session_id)
    data = _qr(found)
    return _private(
        JsonResponse(
            {
                "open": data["window_open"],
                "url": data.get("checkin_url", ""),
                "qr_src": data.get("qr_src", ""),
            }
        )
    )
