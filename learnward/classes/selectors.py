"""Reads for classes. Every selector that returns someone's data takes the acting user and
enforces access: a learner sees their own bookings; a teacher sees only the sessions they teach
(another teacher's session is a 404); staff who manage sessions see every session."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.core.access import staff_powers

from .models import Attendance, AttendanceRule, Booking, Session

MANAGE = "classes.manage_sessions"
TEACH = "classes.teach_sessions"


def _staff_rule(user) -> bool:
    return user.has_perm(MANAGE) or user.has_perm(TEACH)


STAFF_RULE = _staff_rule


def can_manage(actor) -> bool:
    return staff_powers(actor, MANAGE)


def can_teach(actor) -> bool:
    return staff_powers(actor, TEACH)


def can_run(*, actor, session: Session) -> bool:
    """Whether ``actor`` may run ``session``: its register, its QR check-in, its waitlist."""
    if can_manage(actor):
        return True
    return can_teach(actor) and session.teachers.filter(pk=actor.pk).exists()


def _with_counts(queryset: QuerySet[Session]) -> QuerySet[Session]:
    return queryset.select_related("course").annotate(
        booked_count=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED)),
        waitlist_count=Count("bookings", filter=Q(bookings__status=Booking.Status.WAITLISTED)),
    )


def staff_sessions(*, actor, upcoming: bool = True) -> QuerySet[Session]:
    """The sessions ``actor`` runs: every one for staff who manage sessions, a teacher's own."""
    if can_manage(actor):
        queryset = Session.objects.all()
    elif can_teach(actor):
        queryset = Session.objects.filter(teachers=actor)
    else:
        raise Http404
    now = timezone.now()
    queryset = queryset.filter(ends_at__gte=now) if upcoming else queryset.filter(ends_at__lt=now)
    return _with_counts(queryset).order_by(*(("starts_at",) if upcoming else ("-starts_at",)))


def staff_session_get(*, actor, session_id: int) -> Session:
    """One session ``actor`` runs; anyone else's (or none) is a 404."""
    session = (
        _with_counts(Session.objects.filter(pk=session_id)).prefetch_related("teachers").first()
    )
    if session is None or not can_run(actor=actor, session=session):
        raise Http404
    return session


@dataclass(frozen=True)
class RegisterRow:
    booking: Booking
    name: str
    contact: str
    attendance: Attendance | None


def show_contact_details() -> bool:
    return settings.CLASSES_SHOW_CONTACT_DETAILS


def register_rows(*, actor, session: Session) -> list[RegisterRow]:
    """The people booked on ``session``, by name (with their email address only when the
    provider turned contact details on), and their attendance so far."""
    if not can_run(actor=actor, session=session):
        raise Http404
    show = show_contact_details()
    bookings = (
        Booking.objects.filter(session=session, status=Booking.Status.BOOKED)
        .select_related("user", "attendance")
        .order_by("user__display_name", "id")
    )
    rows = []
    for booking in bookings:
        rows.append(
            RegisterRow(
                booking=booking,
                name=booking.user.display_name,
                contact=booking.user.email if show else "",
                attendance=getattr(booking, "attendance", None),
            )
        )
    return rows


def waitlist_rows(*, actor, session: Session) -> list[RegisterRow]:
    """The waitlist in order, names only (contact details as for the register)."""
    if not can_run(actor=actor, session=session):
        raise Http404
    show = show_contact_details()
    return [
        RegisterRow(
            booking=b,
            name=b.user.display_name,
            contact=b.user.email if show else "",
            attendance=None,
        )
        for b in Booking.objects.filter(session=session, status=Booking.Status.WAITLISTED)
        .select_related("user")
        .order_by("created_at", "id")
    ]


# --- learners -----------------------------------------------------------------------------------


def my_bookings(*, user, upcoming: bool = True) -> QuerySet[Booking]:
    """``user``'s own bookings and waitlist places (not cancelled ones), soonest first."""
    now = timezone.now()
    queryset = (
        Booking.objects.filter(user=user)
        .exclude(status=Booking.Status.CANCELLED)
        .select_related("session", "session__course", "attendance")
    )
    if upcoming:
        return queryset.filter(session__ends_at__gte=now).order_by("session__starts_at")
    return queryset.filter(session__ends_at__lt=now).order_by("-session__starts_at")


def my_booking_get(*, user, booking_id: int) -> Booking:
    booking = (
        Booking.objects.filter(pk=booking_id, user=user)
        .select_related("session", "session__course")
        .first()
    )
    if booking is None:
        raise Http404
    return booking


def waitlist_position(booking: Booking) -> int | None:
    if booking.status != Booking.Status.WAITLISTED:
        return None
    ahead = Booking.objects.filter(
        session_id=booking.session_id, status=Booking.Status.WAITLISTED
    ).filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, id__lt=booking.pk)
    )
    return ahead.count() + 1


def course_sessions(*, course, user) -> list[tuple[Session, Booking | None]]:
    """The course's upcoming sessions (not cancelled) with ``user``'s booking on each."""
    now = timezone.now()
    sessions = list(
        _with_counts(
            Session.objects.filter(course=course, cancelled_at__isnull=True, ends_at__gte=now)
        ).order_by("starts_at")
    )
    mine = {}
    if getattr(user, "is_authenticated", False):
        mine = {
            b.session_id: b
            for b in Booking.objects.filter(user=user, session__in=sessions).exclude(
                status=Booking.Status.CANCELLED
            )
        }
    return [(s, mine.get(s.pk)) for s in sessions]


def session_for_booking(*, user, session_id: int) -> Session:
    """A session a learner may book: not cancelled, of a published course."""
    session = Session.objects.select_related("course").filter(pk=session_id).first()
    if session is None or session.cancelled or not session.course.published:
        raise Http404
    return session


def checkin_refusal(*, user, session: Session, now=None) -> str:
    """Why ``user`` cannot check in to ``session`` now (words for them), or "" when they can:
    the session cancelled, outside its check-in window, no place on it, attendance already
    recorded. The token's own checks are :func:`learnward.classes.checkin.read_token`'s."""
    now = now or timezone.now()
    if session.cancelled:
        return _("This session was cancelled.")
    if not session.checkin_opens_at <= now < session.checkin_closes_at:
        opens = timezone.localtime(session.checkin_opens_at)
        closes = timezone.localtime(session.checkin_closes_at)
        return _("Check-in for %(title)s is open from %(opens)s to %(closes)s.") % {
            "title": session.title,
            "opens": date_format(opens, "j F Y H:i"),
            "closes": date_format(closes, "H:i"),
        }
    booking = Booking.objects.filter(
        session=session, user=user, status=Booking.Status.BOOKED
    ).first()
    if booking is None:
        return _(
            "You do not have a place on %(title)s, so you cannot check in. Speak to your teacher."
        ) % {"title": session.title}
    return ""


# --- the attendance rule ------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceSummary:
    attended: int
    counted: int
    min_percent: int

    @property
    def percent(self) -> int:
        return (self.attended * 100 // self.counted) if self.counted else 0

    @property
    def met(self) -> bool:
        return self.counted > 0 and self.attended * 100 >= self.min_percent * self.counted


def attendance_summary(*, user, course) -> AttendanceSummary | None:
    """How ``user`` stands against ``course``'s attendance rule; None when it has none."""
    rule = AttendanceRule.objects.filter(course=course).first()
    if rule is None:
        return None
    sessions = Session.objects.filter(course=course, cancelled_at__isnull=True)
    if rule.basis == AttendanceRule.Basis.BOOKED:
        sessions = sessions.filter(bookings__user=user, bookings__status=Booking.Status.BOOKED)
    statuses = Attendance.ATTENDED if rule.late_counts else (Attendance.Status.PRESENT,)
    attended = Attendance.objects.filter(
        booking__user=user,
        booking__status=Booking.Status.BOOKED,
        booking__session__in=sessions,
        status__in=statuses,
    ).count()
    return AttendanceSummary(
        attended=attended, counted=sessions.count(), min_percent=rule.min_percent
    )


def attendance_rule_met(*, user, course, cycle=None) -> bool:
    """The completion requirement: met when the course has no attendance rule, or when
    ``user`` attended at least its share of sessions."""
    summary = attendance_summary(user=user, course=course)
    return summary is None or summary.met


def teacher_recipients() -> list[str]:
    """For the privacy notice: teachers receive attendance data for the sessions they teach.
    Named as a group, never person by person."""
    if Session.objects.filter(teachers__isnull=False).exists():
        return [
            gettext_lazy(
                "The teachers (including freelance teachers) who run the sessions you book"
            )
        ]
    return []
