"""The classes app's privacy declarations.

Bookings and attendance are learning activity, for delivering the course (purpose
``learning``); the session's teachers receive attendance data, and freelance teachers are named
as recipients through :func:`register_recipients` (see :mod:`.selectors`). Venues, addresses
and meeting links are not personal: they describe the session, not a person.
"""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.purposes import register_recipients
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Attendance, AttendanceRule, Booking, Session
from .selectors import teacher_recipients

# The query path from each row to its data subject: a lookup, not text, so never translated.
TEACHER = "user"
LEARNER = "user"
ATTENDEE = "booking__user"

declare(
    Session,
    fields={
        name: NOT_PERSONAL
        for name in (
            "id",
            "course",
            "title",
            "mode",
            "venue",
            "address",
            "meeting_url",
            "starts_at",
            "ends_at",
            "capacity",
            "booking_opens_at",
            "booking_closes_at",
            # Who teaches a session is held in the through table, declared below.
            "teachers",
            "checkin_opens_minutes_before",
            "late_after_minutes",
            "sequence",
            "cancelled_at",
            "created_at",
            "updated_at",
        )
    },
)
declare(
    Session.teachers.through,
    subject=TEACHER,
    fields={"id": NOT_PERSONAL, "session": "user.account.role", "user": "user.unique_id"},
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention_note=_("While the teacher is assigned to the session."),
    source=_("An administrator, when they assign teachers to a session"),
    label=_("Sessions you teach"),
)
declare(
    Booking,
    subject=LEARNER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "session": "user.behavior.learning_activity",
        "status": "user.behavior.learning_activity",
        "created_at": "user.behavior.learning_activity",
        "status_changed_at": "user.behavior.learning_activity",
        "booked_by_staff": "user.behavior.learning_activity",
        "promoted_at": "user.behavior.learning_activity",
        "cancelled_at": "user.behavior.learning_activity",
        "reminder_sent_at": "user.communications",
        "ics_uid": "user.behavior.learning_activity",
        "ics_sequence": "user.behavior.learning_activity",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("36 months after the session ended, with the attendance recorded for it"),
        anchor="session__ends_at",
        months=36,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_SESSION_BOOKING_MONTHS",
    ),
    source=_("You, when you book or cancel a session, or our staff when they book you"),
    label=_("Your session bookings and waitlist places"),
)
declare(
    Attendance,
    subject=ATTENDEE,
    fields={
        "id": NOT_PERSONAL,
        "booking": "user.behavior.learning_activity",
        "status": "user.behavior.learning_activity",
        "note": "user.behavior.learning_activity",
        "marked_by": "user.behavior.learning_activity",
        "marked_at": "user.behavior.learning_activity",
        "via": "user.behavior.learning_activity",
        "checkin_nonce": "user.behavior.learning_activity",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "36 months after the session ended; a course completion it led to, and the "
            "certificate, are kept separately"
        ),
        anchor="booking__session__ends_at",
        months=36,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_ATTENDANCE_MONTHS",
    ),
    source=_("Your teacher, when they mark the register, or you, when you check in by QR code"),
    label=_("Your attendance at sessions"),
)
declare(
    AttendanceRule,
    fields={n: NOT_PERSONAL for n in ("id", "course", "min_percent", "basis", "late_counts")},
)

# The teachers who run a session (freelance teachers too) receive its register: attendance data,
# for delivering the course. The notice names them as a group, once any session has a teacher.
register_recipients("learning", teacher_recipients)
