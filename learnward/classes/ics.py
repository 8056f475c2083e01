"""Calendar invitations (iCalendar, RFC 5545 with iTIP methods) for a booking.

Each booking is one event in the learner's calendar: its UID is the booking's ``ics_uid`` (fixed
for the booking's life, also across a cancellation and a new booking), and its SEQUENCE is the
booking's ``ics_sequence``, which the services bump before every invitation they send, so a
calendar app replaces the event it holds with the newer one. ``METHOD:REQUEST`` adds or updates
the event (tentative while the learner is on the waitlist); ``METHOD:CANCEL`` removes it.
"""

from __future__ import annotations

from email.mime.text import MIMEText

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from learnward.core.links import absolute_url

from .models import Booking

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _uid(booking: Booking) -> str:
    return f"{booking.ics_uid}@learnward.session"


def booking_calendar(booking: Booking, *, method: str) -> bytes:
    """The ``.ics`` file for ``booking`` as it stands now, its words (location "Online", the
    description) in the active language: build it inside ``use_language(user.language)``."""
    session = booking.session
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PROVIDER_NAME}//Learnward sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", _uid(booking))
    event.add("sequence", booking.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{session.title} ({session.course.title})")
    if method == CANCEL or session.cancelled:
        status = "CANCELLED"
    elif booking.status == Booking.Status.WAITLISTED:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    event.add("status", status)
    where = ", ".join(p for p in (session.venue, " ".join(session.address.split())) if p)
    description = [_("Your sessions: %(url)s") % {"url": absolute_url(reverse("classes:mine"))}]
    if session.mode == session.Mode.ONLINE:
        # The meeting link goes only to people with a place (not to the waitlist).
        if booking.status == Booking.Status.BOOKED and method == REQUEST and session.meeting_url:
            event.add("location", session.meeting_url)
            event.add("url", session.meeting_url)
            description.insert(0, _("Join online: %(url)s") % {"url": session.meeting_url})
        else:
            event.add("location", _("Online"))
    elif where:
        event.add("location", where)
    if booking.status == Booking.Status.WAITLISTED and method == REQUEST:
        description.insert(0, _("You are on the waitlist: we will email you if a place frees up."))
    event.add("description", "\n".join(description))
    calendar.add_component(event)
    return calendar.to_ical()


def calendar_part(booking: Booking, *, method: str) -> MIMEText:
    """The invitation as an email attachment: ``text/calendar`` with its ``method`` parameter,
    which mail clients read to offer "add to calendar" or "remove"."""
    part = MIMEText(booking_calendar(booking, method=method).decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="session.ics")
    return part
