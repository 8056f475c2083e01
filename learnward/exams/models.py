"""Exams held by teachers: a sitting of a course (or of one of its sessions), and each
learner's result in it.

Teachers enter the marks (one by one or from a CSV), an optional second teacher moderates, and
the results are released to learners at a set time. Marks are kept for two years after the exam
(``LEARNWARD_RETENTION_EXAM_MARKS_MONTHS``), then the retention run destroys them: the marks and
the teacher's note are cleared, and what stays is whether the learner passed, the limited record
behind their course completion and certificate.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExamSitting(models.Model):
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="exam_sittings"
    )
    session = models.ForeignKey(
        "classes.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam_sittings",
        help_text=_("The session the exam is held in, if it belongs to one."),
    )
    title = models.CharField(max_length=200)
    held_on = models.DateField(_("exam date"))
    max_marks = models.DecimalField(
        _("maximum marks"),
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    pass_marks = models.DecimalField(
        _("marks to pass"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="exam_sittings_taught", blank=True
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exam_sittings_moderated",
        help_text=_("A second teacher who confirms or changes the marks before release."),
    )
    results_release_at = models.DateTimeField(
        _("results released at"),
        null=True,
        blank=True,
        help_text=_("Learners see their results from this moment; empty while not scheduled."),
    )
    # When the completions for the released results were recorded (the release job ran).
    released_processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        permissions = [
            ("manage_exams", "Can see and run every exam sitting, and create sittings"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_marks__gt=0), name="exams_sitting_max_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_marks__gte=0, pass_marks__lte=models.F("max_marks")),
                name="exams_sitting_pass_within_max",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def released(self, now=None) -> bool:
        now = now or timezone.now()
        return self.results_release_at is not None and self.results_release_at <= now


class ExamResult(models.Model):
    sitting = models.ForeignKey(ExamSitting, on_delete=models.CASCADE, related_name="results")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_results"
    )
    # Empty once the retention run has destroyed the marks (two years after the exam).
    marks = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField()
    note = models.CharField(_("teacher's note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sitting", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "user"], name="exams_result_once"),
        ]

    def __str__(self) -> str:
        return f"Result {self.pk}"

    @property
    def marks_destroyed(self) -> bool:
        return self.marks is None
