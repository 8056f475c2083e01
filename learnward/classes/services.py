"""Writes for classes: sessions, bookings with their waitlist, attendance and reminders.

Every booking change for one session runs with that session's row locked (``SELECT ... FOR
UPDATE``; SQLite's ``BEGIN IMMEDIATE`` serialises writers the same way), so the count of booked
places read under the lock is the count the write is based on: a session is never overbooked,
and a cancellation promotes the next person on the waitlist exactly once, however many
cancellations arrive together.

Emails (with their calendar invitations) are sent after the transaction commits, by
:mod:`.tasks`, which get ids only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import use_language
from learnward.learning.selectors import enrolment_active
from learnward.learning.services import completion_record_if_complete
from learnward.notifications.services import notify

from . import checkin
from .models import Attendance, AttendanceRule, Booking, Session
from .selectors import can_manage, can_run, checkin_refusal

# What, when changed, changes the calendar event (and so is sent to everyone booked).
CALENDAR_FIELDS = ("title", "mode", "venue", "address", "meeting_url", "starts_at", "ends_at")
SESSION_FIELDS = (
    *CALENDAR_FIELDS,
    "capacity",
    "booking_opens_at",
    "booking_closes_at",
    "checkin_opens_minutes_before",
    "late_after_minutes",
)


class ClassesError(ApplicationError):
    """A booking, register or check-in refused, with a message for the person using the site."""

    def __init__(self, message: str = "", extra: dict | None = None, *, field: str = "") -> None:
        super().__init__(message, extra)
        self.field = field


# --- helpers ------------------------------------------------------------------------------------


def _date_and_time(moment) -> dict:
    """``moment`` in local time as {"date": "14 March 2027", "time": "09:30"}, in the active
    language, for messages that say when."""
    local = timezone.localtime(moment)
    return {"date": date_format(local, "j F Y"), "time": date_format(local, "H:i")}


def _lock(session_id: int) -> Session:
    """The session, locked for the rest of the transaction."""
    return Session.objects.select_for_update().select_related("course").get(pk=session_id)


def _booked_count(session: Session) -> int:
    return Booking.objects.filter(session=session, status=Booking.Status.BOOKED).count()


def _email_on_commit(booking_id: int, kind: str) -> None:
    from .tasks import send_booking_email

    transaction.on_commit(lambda: send_booking_email.enqueue(booking_id, kind))


def _set_status(booking: Booking, status: str, now) -> None:
    booking.status = status
    booking.status_changed_at = now
    booking.ics_sequence += 1 if booking.pk else 0


def _check_session_fields(values: dict) -> None:
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        raise ClassesError(_("The session must end after it starts."), field="ends_at")
    if (values.get("capacity") or 0) < 1:
        raise ClassesError(_("A session needs at least one place."), field="capacity")
    mode = values.get("mode")
    if mode == Session.Mode.IN_PERSON and not (values.get("venue") or "").strip():
        raise ClassesError(_("Give the venue of a session held in person."), field="venue")
    if mode == Session.Mode.ONLINE and not (values.get("meeting_url") or "").strip():
        raise ClassesError(_("Give the meeting link of an online session."), field="meeting_url")
    opens, closes = values.get("booking_opens_at"), values.get("booking_closes_at")
    if opens and closes and closes <= opens:
        raise ClassesError(_("Booking must close after it opens."), field="booking_closes_at")


# --- sessions -----------------------------------------------------------------------------------


def session_create(*, actor, course, teachers: Iterable = (), **values) -> Session:
    """A new session of ``course`` (staff who manage sessions)."""
    if not can_manage(actor):
        raise ClassesError(_("You cannot create sessions."))
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    values.setdefault("mode", Session.Mode.IN_PERSON)
    _check_session_fields(values)
    with transaction.atomic(durable=True):
        session = Session.objects.create(course=course, **values)
        session.teachers.set(list(teachers))
        audit_record(
            action=Action.SESSION_CREATED,
            actor=actor,
            target=session,
            payload={"course_id": course.pk, "teachers": sorted(t.pk for t in teachers)},
        )
    return session


def session_update(
    *, actor, session: Session, teachers: Iterable | None = None, **values
) -> Session:
    """Change a session. A change to its date, place or link goes to everyone booked or waiting
    as an updated invitation (the same UID, a higher SEQUENCE); more places promote people from
    the waitlist; fewer places than are booked are refused."""
    if not can_manage(actor):
        raise ClassesError(_("You cannot change sessions."))
    unknown = set(values) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    with transaction.atomic(durable=True):
        session = _lock(session.pk)
        if session.cancelled:
            raise ClassesError(_("This session was cancelled and cannot be changed."))
        merged = {name: getattr(session, name) for name in SESSION_FIELDS} | values
        _check_session_fields(merged)
        booked = _booked_count(session)
        if merged["capacity"] < booked:
            raise ClassesError(
                ngettext(
                    "%(count)s person is booked: the capacity cannot go below that.",
                    "%(count)s people are booked: the capacity cannot go below that.",
                    booked,
                )
                % {"count": booked},
                field="capacity",
            )
        changed = sorted(n for n in SESSION_FIELDS if getattr(session, n) != merged[n])
        for name in changed:
            setattr(session, name, merged[name])
        calendar_changed = any(n in CALENDAR_FIELDS for n in changed)
        if calendar_changed:
            session.sequence += 1
        session.save()
        if teachers is not None:
            session.teachers.set(list(teachers))
        now = timezone.now()
        if calendar_changed:
            for booking in Booking.objects.filter(
                session=session,
                status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED),
            ):
                booking.ics_sequence += 1
                booking.save(update_fields=["ics_sequence"])
                _email_on_commit(booking.pk, "changed")
        _promote(session, now=now, actor=actor)
        audit_record(
            action=Action.SESSION_CHANGED,
            actor=actor,
            target=session,
            payload={"fields": changed, "teachers_set": teachers is not None},
        )
    return session


def session_cancel(*, actor, session: Session) -> Session:
    """Cancel a session: everyone booked or waiting is told, and the event leaves their
    calendars (METHOD:CANCEL)."""
    if not can_manage(actor):
        raise ClassesError(_("You cannot cancel sessions."))
    with transaction.atomic(durable=True):
        session = _lock(session.pk)
        if session.cancelled:
            return session
        now = timezone.now()
        session.cancelled_at = now
        session.sequence += 1
        session.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        affected = 0
        for booking in Booking.objects.filter(
            session=session, status__in=(Booking.Status.BOOKED, Booking.Status.WAITLISTED)
        ):
            _set_status(booking, Booking.Status.CANCELLED, now)
            booking.cancelled_at = now
            booking.save()
            _email_on_commit(booking.pk, "session_cancelled")
            affected += 1
        audit_record(
            action=Action.SESSION_CANCELLED,
            actor=actor,
            target=session,
            payload={"bookings_cancelled": affected},
        )
    return session


# --- bookings -----------------------------------------------------------------------------------


def booking_window_open(session: Session, *, now=None) -> bool:
    now = now or timezone.now()
    closes = session.booking_closes_at or session.starts_at
    opens = session.booking_opens_at
    return not session.cancelled and (opens is None or opens <= now) and now < closes


def booking_create(*, actor, session: Session, user) -> Booking:
    """Book ``user`` a place on ``session``, or a place on its waitlist when it is full.

    Learners book themselves while booking is open; staff who manage sessions book anyone
    enrolled on the course until the session ends. Booking again while booked or waiting
    changes nothing; booking after a cancellation reuses the booking (its calendar UID)."""
    by_staff = actor.pk != user.pk
    if by_staff and not can_manage(actor):
        raise ClassesError(_("You cannot book other people on sessions."))
    with transaction.atomic(durable=True):
        session = _lock(session.pk)
        now = timezone.now()
        if session.cancelled:
            raise ClassesError(_("This session was cancelled."))
        if by_staff:
            if now >= session.ends_at:
                raise ClassesError(_("This session has ended."))
        elif not booking_window_open(session, now=now):
            if session.booking_opens_at and now < session.booking_opens_at:
                raise ClassesError(
                    _("Booking for this session opens on %(date)s at %(time)s.")
                    % _date_and_time(session.booking_opens_at)
                )
            raise ClassesError(_("Booking for this session has closed."))
        if enrolment_active(user=user, course=session.course) is None:
            raise ClassesError(
                _("%(name)s is not enrolled on %(course)s: enrol them first.")
                % {"name": user.display_name, "course": session.course.title}
                if by_staff
                else _("Enrol on the course before you book a session.")
            )
        booking = Booking.objects.filter(session=session, user=user).first()
        if booking is not None and booking.status != Booking.Status.CANCELLED:
            return booking
        full = _booked_count(session) >= session.capacity
        status = Booking.Status.WAITLISTED if full else Booking.Status.BOOKED
        if booking is None:
            booking = Booking(session=session, user=user, created_at=now)
        else:
            # Back at the end of the waitlist, if there is one: the queue is by created_at.
            booking.created_at = now
            booking.cancelled_at = None
            booking.promoted_at = None
            booking.reminder_sent_at = None
        _set_status(booking, status, now)
        booking.booked_by_staff = by_staff
        booking.save()
        audit_record(
            action=Action.SESSION_WAITLISTED if full else Action.SESSION_BOOKED,
            actor=actor,
            subject=user,
            target=booking,
            payload={"session_id": session.pk, "by_staff": by_staff},
        )
        _email_on_commit(booking.pk, "waitlisted" if full else "booked")
    return booking


def booking_cancel(*, actor, booking: Booking) -> Booking:
    """Cancel a booking or a waitlist place. A freed place goes to the next person waiting,
    exactly once. Learners cancel their own until the session starts; staff who manage
    sessions cancel anyone's until it ends."""
    by_staff = actor.pk != booking.user_id
    if by_staff and not can_manage(actor):
        raise ClassesError(_("You cannot cancel other people's bookings."))
    with transaction.atomic(durable=True):
        session = _lock(booking.session_id)
        booking = Booking.objects.select_related("user").get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            return booking
        now = timezone.now()
        if now >= (session.ends_at if by_staff else session.starts_at):
            raise ClassesError(
                _("This session has ended.") if by_staff else _("This session has already started.")
            )
        was_booked = booking.status == Booking.Status.BOOKED
        _set_status(booking, Booking.Status.CANCELLED, now)
        booking.cancelled_at = now
        booking.save()
        audit_record(
            action=Action.BOOKING_CANCELLED,
            actor=actor,
            subject=booking.user,
            target=booking,
            payload={"session_id": session.pk, "by_staff": by_staff, "had_place": was_booked},
        )
        _email_on_commit(booking.pk, "cancelled")
        if was_booked:
            _promote(session, now=now, actor=actor)
    return booking


def _promote(session: Session, *, now, actor=None) -> list[Booking]:
    """Give free places to the people waiting longest (the session is locked by the caller)."""
    if session.cancelled or now >= session.ends_at:
        return []
    free = session.capacity - _booked_count(session)
    if free <= 0:
        return []
    promoted = list(
        Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "id")[:free]
    )
    for booking in promoted:
        _set_status(booking, Booking.Status.BOOKED, now)
        booking.promoted_at = now
        booking.save()
        audit_record(
            action=Action.BOOKING_PROMOTED,
            actor=actor,
            subject=booking.user,
            target=booking,
            payload={"session_id": session.pk},
        )
        _email_on_commit(booking.pk, "promoted")
    return promoted


def booking_reminders_send(*, now=None) -> int:
    """Mark and send the reminder of every booking whose session starts within
    ``LEARNWARD_CLASSES_REMINDER_HOURS``; each booking is reminded once."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.CLASSES_REMINDER_HOURS)
    with transaction.atomic(durable=True):
        due = list(
            Booking.objects.select_for_update(skip_locked=True)
            .filter(
                status=Booking.Status.BOOKED,
                reminder_sent_at__isnull=True,
                session__cancelled_at__isnull=True,
                session__starts_at__gt=now,
                session__starts_at__lte=horizon,
            )
            .values_list("pk", flat=True)
        )
        Booking.objects.filter(pk__in=due).update(reminder_sent_at=now)
        for booking in Booking.objects.filter(pk__in=due).select_related("session", "user"):
            _email_on_commit(booking.pk, "reminder")
            # The notification is stored as text: written in the learner's language.
            with use_language(booking.user.language):
                starts = timezone.localtime(booking.session.starts_at)
                notify(
                    user=booking.user,
                    kind="session_reminder",
                    title=_("%(title)s starts on %(date)s at %(time)s")
                    % {
                        "title": booking.session.title,
                        "date": date_format(starts, "j F"),
                        "time": date_format(starts, "H:i"),
                    },
                    url=reverse("classes:mine"),
                )
        audit_record(action=Action.SESSION_REMINDERS_RUN, payload={"sent": len(due)})
    return len(due)


# --- attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    booking_id: int
    status: str
    note: str = ""


def _complete_if_rule_met(*, user, session: Session) -> None:
    """A new attendance may meet the course's attendance rule: record the completion (and so
    the certificate) through learning's one path, in this transaction."""
    if not AttendanceRule.objects.filter(course_id=session.course_id).exists():
        return
    enrolment = enrolment_active(user=user, course=session.course)
    if enrolment is not None:
        completion_record_if_complete(enrolment=enrolment)


def register_open(session: Session, *, now=None) -> bool:
    now = now or timezone.now()
    return not session.cancelled and now >= session.checkin_opens_at


def attendance_mark(*, actor, session: Session, marks: Sequence[Mark]) -> list[Attendance]:
    """Mark the register: each booked learner present, late, absent or excused, with an
    optional note. Only the session's teachers and staff who manage sessions; from the time
    check-in opens. Marks for anyone not booked on the session are refused (nothing is saved)."""
    if not can_run(actor=actor, session=session):
        raise ClassesError(_("You cannot mark this register."))
    valid = set(Attendance.Status.values)
    with transaction.atomic(durable=True):
        session = _lock(session.pk)
        now = timezone.now()
        if session.cancelled:
            raise ClassesError(_("This session was cancelled."))
        if not register_open(session, now=now):
            raise ClassesError(
                _("The register opens when check-in opens, %(date)s at %(time)s.")
                % _date_and_time(session.checkin_opens_at)
            )
        bookings = {
            b.pk: b
            for b in Booking.objects.filter(
                session=session, status=Booking.Status.BOOKED
            ).select_related("user")
        }
        for mark in marks:
            if mark.booking_id not in bookings:
                raise ClassesError(_("Someone on this register is not booked on the session."))
            if mark.status not in valid:
                raise ClassesError(_("Choose present, late, absent or excused."))
            if len(mark.note) > 500:
                raise ClassesError(_("A note can be at most 500 characters."))
        saved = []
        existing = {a.booking_id: a for a in Attendance.objects.filter(booking__in=bookings)}
        for mark in marks:
            booking = bookings[mark.booking_id]
            attendance = existing.get(mark.booking_id)
            note = mark.note.strip()
            if attendance is not None and (attendance.status, attendance.note) == (
                mark.status,
                note,
            ):
                continue
            if attendance is None:
                attendance = Attendance(booking=booking)
            attendance.status = mark.status
            attendance.note = note
            attendance.marked_by = actor
            attendance.marked_at = now
            attendance.via = Attendance.Via.REGISTER
            attendance.save()
            audit_record(
                action=Action.ATTENDANCE_MARKED,
                actor=actor,
                subject=booking.user,
                target=attendance,
                payload={"session_id": session.pk, "status": mark.status},
            )
            saved.append(attendance)
            if mark.status in Attendance.ATTENDED:
                _complete_if_rule_met(user=booking.user, session=session)
    return saved


def attendance_check_in(*, user, token: str) -> Attendance:
    """Record ``user`` present (or late) from a QR check-in token. Refused, with nothing
    recorded, when the token is forged, expired or already used, outside the session's
    check-in window, or when ``user`` has no place on the session."""
    try:
        data = checkin.read_token(token)
    except checkin.TokenRefused as exc:
        raise ClassesError(exc.message) from None
    with transaction.atomic(durable=True):
        try:
            session = _lock(data.session_id)
        except Session.DoesNotExist:
            raise ClassesError(
                _("This check-in code is for a session that no longer exists.")
            ) from None
        now = timezone.now()
        refusal = checkin_refusal(user=user, session=session, now=now)
        if refusal:
            raise ClassesError(refusal)
        booking = Booking.objects.get(session=session, user=user, status=Booking.Status.BOOKED)
        existing = Attendance.objects.filter(booking=booking).first()
        if existing is not None:
            if data.nonce and existing.checkin_nonce == data.nonce:
                raise ClassesError(_("This check-in code has already been used."))
            raise ClassesError(
                _("Your attendance is already recorded (%(status)s).")
                % {"status": existing.get_status_display().lower()}
            )
        attendance = Attendance.objects.create(
            booking=booking,
            status=Attendance.Status.LATE if now > session.late_from else Attendance.Status.PRESENT,
            marked_by=None,
            marked_at=now,
            via=Attendance.Via.QR,
            checkin_nonce=data.nonce,
        )
        audit_record(
            action=Action.ATTENDANCE_CHECKED_IN,
            actor=user,
            subject=user,
            target=attendance,
            payload={"session_id": session.pk, "status": attendance.status},
        )
        _complete_if_rule_met(user=user, session=session)
    return attendance
