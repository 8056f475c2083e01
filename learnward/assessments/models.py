"""The final assessment of a course: questions, choices, attempts and the answers given."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse


class Assessment(models.Model):
    """A course's one final assessment. Pass mark and attempts allowed live on the course."""

    course = models.OneToOneField(
        "catalog.Course", on_delete=models.CASCADE, related_name="assessment"
    )
    title = models.CharField(max_length=200, default="Final assessment")
    instructions = models.TextField(blank=True, help_text="Markdown, shown before the questions.")
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave blank for no time limit.",
    )

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice (choose all that apply)"
        TRUE_FALSE = "true_false", "True or false"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField()
    explanation = models.TextField(
        blank=True, help_text="Feedback shown with the result: why the right answer is right."
    )
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    partial_credit = models.BooleanField(
        default=False,
        help_text="Multiple choice only: give a share of the points for a partly right answer "
        "(each wrong choice cancels a right one). Off means all or nothing.",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def allows_many(self) -> bool:
        return self.kind == self.Kind.MULTIPLE


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(default=0, help_text="Lower numbers come first.")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField("correct", default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Attempt(models.Model):
    """One go at an assessment. Open until submitted; a time-limited attempt has a deadline."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessment_attempts"
    )
    cycle = models.PositiveIntegerField(
        default=1,
        help_text="The enrolment's cycle (1, then one more per renewal); the attempts allowed "
        "are counted per cycle.",
    )
    number = models.PositiveSmallIntegerField(help_text="1, 2, ... within the cycle.")
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(
        default=False, help_text="Closed at its deadline; no answers were accepted."
    )
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    points_possible = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField("score (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "user", "cycle", "number"],
                name="attempt_number_per_learner_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"Attempt {self.pk}"

    def get_absolute_url(self) -> str:
        if self.submitted_at is None:
            return reverse("assessments:attempt", kwargs={"attempt_id": self.pk})
        return reverse("assessments:result", kwargs={"attempt_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @staticmethod
    def deadline_for(started_at, time_limit_minutes: int | None):
        if not time_limit_minutes:
            return None
        return started_at + timedelta(minutes=time_limit_minutes)


class Answer(models.Model):
    """The choices a learner picked for one question in one attempt, and what it earned."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.ManyToManyField(Choice, related_name="answers")
    correct = models.BooleanField()
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"
