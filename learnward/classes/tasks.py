"""Booking emails, sent after the booking's transaction commits. Each task takes ids only,
loads the booking as it is now, and sends; a booking whose state no longer matches the email
(a promotion cancelled before its email went out, say) gets none."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import deliver_service_email

from . import ics
from .models import Booking

# kind -> (subject, calendar method or None, the booking statuses it is sent in)
KINDS = {
    "booked": (_("Your place on %(title)s"), ics.REQUEST, {Booking.Status.BOOKED}),
    "waitlisted": (
        _("You are on the waitlist for %(title)s"),
        ics.REQUEST,
        {Booking.Status.WAITLISTED},
    ),
    "promoted": (
        _("A place came free: you are booked on %(title)s"),
        ics.REQUEST,
        {Booking.Status.BOOKED},
    ),
    "changed": (
        _("%(title)s has changed"),
        ics.REQUEST,
        {Booking.Status.BOOKED, Booking.Status.WAITLISTED},
    ),
    "cancelled": (
        _("Your booking on %(title)s is cancelled"),
        ics.CANCEL,
        {Booking.Status.CANCELLED},
    ),
    "session_cancelled": (_("%(title)s is cancelled"), ics.CANCEL, {Booking.Status.CANCELLED}),
    "reminder": (_("Reminder: %(title)s starts soon"), None, {Booking.Status.BOOKED}),
}


@task()
def send_booking_email(booking_id: int, kind: str) -> None:
    subject, method, statuses = KINDS[kind]
    booking = (
        Booking.objects.select_related("session", "session__course", "user")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.status not in statuses:
        return
    session = booking.session
    user = booking.user
    # In the learner's saved language: the subject, the body, the /nl/ link and the calendar
    # event's summary and description.
    with use_language(user.language):
        attachments = [ics.calendar_part(booking, method=method)] if method else []
        deliver_service_email(
            to=user.email,
            subject=subject % {"title": session.title},
            template=f"classes/email/{kind}",
            context={
                "name": user.display_name,
                "session": session,
                "course": session.course.title,
                "starts_at": timezone.localtime(session.starts_at),
                "ends_at": timezone.localtime(session.ends_at),
                "online": session.mode == session.Mode.ONLINE,
                # The meeting link only to people with a place.
                "meeting_url": session.meeting_url
                if booking.status == Booking.Status.BOOKED
                else "",
                "link": absolute_url(reverse("classes:mine")),
            },
            attachments=attachments,
            language=user.language,
        )
