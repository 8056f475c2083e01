"""The author's working copy of a course: draft modules and lessons, published by the studio.

The live catalog rows (``catalog.Module``, ``catalog.Lesson``) always hold what learners see.
Authors edit these drafts; :func:`learnward.studio.services.course_publish` copies them to the
live rows as a numbered version. Each draft row points at the live row it came from (or will
become), so a lesson keeps its identity, and its learners' progress, across versions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class CourseDraft(models.Model):
    """That a course has a working copy in the studio, and whether it differs from what learners
    see. Created the first time the course is opened in the studio, from the live rows."""

    course = models.OneToOneField(
        "catalog.Course", on_delete=models.CASCADE, related_name="studio_draft"
    )
    started_at = models.DateTimeField()
    changed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("The last edit not yet published; empty when none."),
    )

    class Meta:
        permissions = [
            ("author_courses", "Can write courses in the studio"),
            ("publish_courses", "Can publish courses from the studio"),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.course}"

    @property
    def has_changes(self) -> bool:
        return self.changed_at is not None


class DraftModule(models.Model):
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="draft_modules"
    )
    live = models.ForeignKey(
        "catalog.Module",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy(
            "The published module this draft came from; empty until first published."
        ),
    )
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class DraftLesson(models.Model):
    module = models.ForeignKey(DraftModule, on_delete=models.CASCADE, related_name="lessons")
    live = models.ForeignKey(
        "catalog.Lesson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy(
            "The published lesson this draft came from; empty until first published."
        ),
    )
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    body_markdown = models.TextField("body", blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    revision = models.PositiveIntegerField(
        default=1,
        help_text=gettext_lazy(
            "One more for each save: a save based on an older revision (another window) "
            "is refused instead of overwriting."
        ),
    )
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
