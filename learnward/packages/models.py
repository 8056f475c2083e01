"""Content packages (SCORM 1.2, SCORM 2004 4th edition, cmi5) and the learners' attempts at them.

A lesson with a :class:`ContentPackage` is a package lesson: its page plays the package instead
of its Markdown body (learning's lesson-body hook, see hooks.py). The package's files are stored
through Django's storage API under ``packages/<key>/`` (S3 in production).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learnward.catalog.models import Lesson


class ContentPackage(models.Model):
    class Standard(models.TextChoices):
        SCORM12 = "scorm12", "SCORM 1.2"
        SCORM2004 = "scorm2004", _("SCORM 2004 (4th edition)")
        CMI5 = "cmi5", _("cmi5")

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="package")
    standard = models.CharField(max_length=10, choices=Standard.choices)
    title = models.CharField(max_length=200, help_text=_("The title the package gives itself."))
    # Where the files are in the default storage: packages/<key>/<path inside the zip>.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    launch_path = models.CharField(max_length=500)
    # Query string the manifest adds to the launch file (SCORM "parameters"), without "?".
    launch_parameters = models.CharField(max_length=500, blank=True)
    # cmi5: the assignable unit's activity id (the xAPI object of its statements).
    activity_id = models.CharField(max_length=500, blank=True)
    # cmi5: the AU's moveOn criterion (Completed, Passed, CompletedAndPassed, CompletedOrPassed,
    # NotApplicable).
    move_on = models.CharField(max_length=30, blank=True)
    mastery_score = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    checksum = models.CharField(max_length=64, help_text=_("SHA-256 of the uploaded zip."))
    file_count = models.PositiveIntegerField(default=0)
    total_size = models.PositiveBigIntegerField(default=0)
    counts_as_assessment = models.BooleanField(
        default=False,
        help_text=_(
            "The package's pass stands as the course's assessment: the course completes "
            "only when the learner passed the package."
        ),
    )
    is_whole_course = models.BooleanField(
        default=False, help_text=_("The course was made from this package alone.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title

    @property
    def storage_prefix(self) -> str:
        return f"packages/{self.key}/"


class PackageAttempt(models.Model):
    """One learner's attempt at a package: its runtime data (SCORM) or registration (cmi5)."""

    package = models.ForeignKey(ContentPackage, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="package_attempts"
    )
    number = models.PositiveIntegerField(default=1)
    # The learner's enrolment cycle when the attempt started (renewals take a course again).
    cycle = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    location = models.CharField(max_length=1000, blank=True)
    suspend_data = models.TextField(blank=True)
    completion_status = models.CharField(max_length=20, blank=True)
    success_status = models.CharField(max_length=20, blank=True)
    score_raw = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_min = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_max = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    score_scaled = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    total_time = models.CharField(max_length=40, blank=True)
    # The last commit's whole CMI object (SCORM), or the cmi5 State API documents.
    cmi = models.JSONField(default=dict, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)
    # cmi5: the registration, and the launch's auth token (a hash of it), fetched once.
    registration = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    auth_token_hash = models.CharField(max_length=64, blank=True)
    auth_token_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["package", "user", "number"], name="package_attempt")
        ]
        ordering = ["package", "user", "-number"]

    def __str__(self) -> str:
        return f"Attempt {self.number} at {self.package}"

    @property
    def finished(self) -> bool:
        return self.completed_at is not None or self.passed_at is not None


class PackageStatement(models.Model):
    """An xAPI statement a cmi5 assignable unit sent about the learner's attempt."""

    attempt = models.ForeignKey(PackageAttempt, on_delete=models.CASCADE, related_name="statements")
    statement_id = models.UUIDField(unique=True)
    verb = models.CharField(max_length=300)
    statement = models.JSONField()
    stored_at = models.DateTimeField()

    class Meta:
        ordering = ["stored_at", "id"]

    def __str__(self) -> str:
        return self.verb.rsplit("/", 1)[-1]
