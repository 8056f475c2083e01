"""Lesson passages (the search index "Ask the course" reads) and the log of AI provider calls."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LessonPassage(models.Model):
    """A paragraph-sized chunk of a lesson, rebuilt whenever the lesson is saved.

    The full-text index lives beside this table and is kept in step by the database: on SQLite an
    FTS5 external-content table maintained by triggers, on PostgreSQL a stored generated
    ``tsvector`` column with a GIN index (see migration 0002). Neither appears in the model, so
    the ORM never writes them.
    """

    lesson = models.ForeignKey("catalog.Lesson", on_delete=models.CASCADE, related_name="+")
    # Stored (not only reached through the lesson) so a course's search is one indexed filter.
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    # The lesson's title, copied so the index can weigh it; rebuilt with the lesson.
    title = models.CharField(max_length=200)
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["lesson_id", "position"]
        indexes = [models.Index(fields=["course"], name="ai_passage_course")]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "position"], name="ai_passage_position")
        ]

    def __str__(self) -> str:
        return f"Passage {self.position} of lesson {self.lesson_id}"


class AiFeature(models.TextChoices):
    ASK_COURSE = "ask_course", _("Ask the course")
    REFLECTION_PROMPTS = "reflection_prompts", _("Reflection prompts")


class AiCall(models.Model):
    """One request to an AI provider, exactly as it left the platform, and what came back.

    Shown on the learner's "My data", included in their export, erased with them, and deleted
    LEARNWARD_AI_LOG_DAYS after it was made.
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Answered")
        TIMEOUT = "timeout", _("Timed out")
        RATE_LIMITED = "rate_limited", _("Refused: too many requests")
        ERROR = "error", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    feature = models.CharField(max_length=30, choices=AiFeature.choices)
    processor = models.CharField(
        max_length=200, help_text=_("The processor, as named in the processor register.")
    )
    model = models.CharField(max_length=200, blank=True)
    sent_text = models.TextField(help_text=_("The minimised text sent, after redaction."))
    response_text = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    redactions = models.PositiveIntegerField(
        default=0, help_text=_("How many personal details were replaced by placeholders.")
    )
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "AI call"

    def __str__(self) -> str:
        return f"AI call {self.pk}"

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens
