"""Classes taught on dates: sessions of a course, bookings with a waitlist, and attendance.

A session is one dated occurrence of a course, in person (venue and address) or online (a
meeting link shown only to people booked on it), taught by one or more teachers. Learners book
a place; when the session is full they join its waitlist, and a cancellation promotes the next
person on it. Teachers mark attendance on the register, or learners check themselves in by
scanning the teacher's rotating QR code. A course may require attendance to complete
(:class:`AttendanceRule`).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Session(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="class_sessions"
    )
    title = models.CharField(max_length=200)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    # Shown only to people booked on the session (and to its teachers and staff).
    meeting_url = models.URLField(_("meeting link"), max_length=500, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # Empty: booking is open from now; empty close: until the session starts.
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="taught_sessions", blank=True
    )
    # QR self check-in is open from this many minutes before the start until the end; a
    # check-in more than ``late_after_minutes`` after the start is recorded as late.
    checkin_opens_minutes_before = models.PositiveSmallIntegerField(default=30)
    late_after_minutes = models.PositiveSmallIntegerField(default=10)
    # Bumped whenever the date, place or link changes, so calendar invitations update.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        permissions = [
            ("manage_sessions", "Can see and run every session, and book people on them"),
            ("teach_sessions", "Can run the sessions they teach (register, QR check-in)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="classes_session_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1), name="classes_session_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def checkin_opens_at(self):
        return self.starts_at - timedelta(minutes=self.checkin_opens_minutes_before)

    @property
    def checkin_closes_at(self):
        return self.ends_at

    @property
    def late_from(self):
        return self.starts_at + timedelta(minutes=self.late_after_minutes)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_bookings"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # The waitlist is served in the order people joined it (then by id).
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField()
    # Set when a member of staff booked the learner (the learner stays the subject).
    booked_by_staff = models.BooleanField(default=False)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The calendar event's UID stays the same for the booking's life; SEQUENCE goes up with
    # every invitation or cancellation sent for it, so calendar apps update the one event.
    ics_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="classes_booking_once"),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    class Via(models.TextChoices):
        REGISTER = "register", _("The register")
        QR = "qr", _("QR check-in")

    ATTENDED = (Status.PRESENT, Status.LATE)

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=16, choices=Status.choices)
    note = models.CharField(max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField()
    via = models.CharField(max_length=16, choices=Via.choices)
    # The QR token's nonce a self check-in used, so the same token is not accepted twice.
    checkin_nonce = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["booking_id"]

    def __str__(self) -> str:
        return f"Attendance {self.pk}"


class AttendanceRule(models.Model):
    """A course completes only when the learner attended (present or late) at least
    ``min_percent`` of the sessions counted (see ``basis``)."""

    class Basis(models.TextChoices):
        ALL = "all", _("All of the course's sessions")
        BOOKED = "booked", _("The sessions the learner booked")

    course = models.OneToOneField(
        "catalog.Course", on_delete=models.CASCADE, related_name="attendance_rule"
    )
    min_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    basis = models.CharField(max_length=16, choices=Basis.choices, default=Basis.ALL)
    late_counts = models.BooleanField(_("late counts as attended"), default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_percent__gte=1, min_percent__lte=100),
                name="classes_attendancerule_percent_1_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"Attendance rule for course {self.course_id}"
