"""The learner's CPD record: outside activities and structured reflections.

Courses completed here and their certificates are not copied into this app: the record reads them
at the moment it is shown (see selectors.py), so a revoked or reissued certificate, or a course's
CPD hours, are always as they are now, and there is nothing to keep in step.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ActivityType(models.TextChoices):
    COURSE = "course", _("Course or training elsewhere")
    CONFERENCE = "conference", _("Conference or seminar")
    WORKSHOP = "workshop", _("Workshop")
    ELEARNING = "elearning", _("Webinar or e-learning")
    READING = "reading", _("Reading or research")
    MENTORING = "mentoring", _("Mentoring or coaching")
    WORK_BASED = "work_based", _("Work-based learning")
    OTHER = "other", _("Other")


class CpdActivity(models.Model):
    """A learning activity done outside this platform, recorded by the learner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_activities"
    )
    title = models.CharField(max_length=200)
    activity_type = models.CharField(_("type"), max_length=20, choices=ActivityType.choices)
    occurred_on = models.DateField(_("date"))
    hours = models.DecimalField(
        _("CPD hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("999"))],
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("CPD activity")
        verbose_name_plural = _("CPD activities")
        indexes = [models.Index(fields=["user", "occurred_on"], name="cpd_activity_user_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.25")) & Q(hours__lte=Decimal("999")),
                name="cpd_activity_hours_range",
            )
        ]

    def __str__(self) -> str:
        return f"CPD activity {self.pk}"


class Reflection(models.Model):
    """ "What? So what? Now what?" about one entry of the record: an outside activity, or a
    course completed here (keyed by the course: a learner completes a course once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cpd_reflections"
    )
    activity = models.OneToOneField(
        CpdActivity, null=True, blank=True, on_delete=models.CASCADE, related_name="reflection"
    )
    course = models.ForeignKey(
        "catalog.Course", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The course's title when the reflection was written: the reflection is the learner's own
    # writing and stays readable if the course is ever withdrawn.
    course_title = models.CharField(max_length=300, blank=True)
    what = models.TextField(_("What?"), blank=True)
    so_what = models.TextField(_("So what?"), blank=True)
    now_what = models.TextField(_("Now what?"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(course__isnull=False),
                name="cpd_reflection_one_per_course",
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=True) | Q(course__isnull=True),
                name="cpd_reflection_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection {self.pk}"

    @property
    def is_empty(self) -> bool:
        return not (self.what.strip() or self.so_what.strip() or self.now_what.strip())
