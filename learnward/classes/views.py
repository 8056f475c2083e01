"""Learners' pages under /sessions/: "My sessions", booking and cancelling from the course page,
and the QR check-in link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import checkin, selectors, services
from .models import Session


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    upcoming = [
        (booking, selectors.waitlist_position(booking))
        for booking in selectors.my_bookings(user=request.user)
    ]
    past = selectors.my_bookings(user=request.user, upcoming=False)
    return _private(render(request, "classes/mine.html", {"upcoming": upcoming, "past": past}))


@login_required
@require_POST
def book(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_for_booking(user=request.user, session_id=session_id)
    fallback = reverse("catalog:course", args=[session.course.slug]) + "#sessions"
    try:
        booking = services.booking_create(actor=request.user, session=session, user=request.user)
    except services.ClassesError as exc:
        messages.error(request, exc.message)
    else:
        if booking.status == booking.Status.WAITLISTED:
            messages.warning(
                request,
                _(
                    "%(title)s is full: you are on its waitlist. We will email you if a "
                    "place comes free."
                )
                % {"title": session.title},
            )
        else:
            messages.success(
                request, _("You have a place on %(title)s.") % {"title": session.title}
            )
    return redirect(_back(request, fallback))


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = selectors.my_booking_get(user=request.user, booking_id=booking_id)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except services.ClassesError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Your booking on %(title)s is cancelled.") % {"title": booking.session.title},
        )
    return redirect(_back(request, reverse("classes:mine")))


@login_required
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what the code is for and a button; POST records the check-in."""
    error = ""
    session = None
    attendance = None
    try:
        data = checkin.read_token(token)
    except checkin.TokenRefused as exc:
        error = exc.message
    else:
        session = Session.objects.filter(pk=data.session_id).select_related("course").first()
        if session is None:
            error = _("This check-in code is for a session that no longer exists.")
        elif request.method == "GET":
            # Say so before the learner taps "Check in" (the service checks again).
            error = selectors.checkin_refusal(user=request.user, session=session)
    if request.method == "POST" and not error:
        try:
            attendance = services.attendance_check_in(user=request.user, token=token)
        except services.ClassesError as exc:
            error = exc.message
    status = 400 if error and request.method == "POST" else 200
    if error and request.method == "GET":
        status = 400
    context = {"error": error, "session": session, "attendance": attendance, "token": token}
    return _private(render(request, "classes/check_in.html", context, status=status))
