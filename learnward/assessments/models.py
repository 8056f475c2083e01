"""Assessments: a course's question bank (categories, questions of several types, their choices
and essay rubrics), the final assessment and formative module quizzes that draw from the bank,
attempts with the questions each drew, the answers given, and tutors' essay marks.

The bank is not drafted: changes apply at once. A question that any attempt used is never deleted,
only retired (``retired_at``), which keeps it out of new draws."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy


class QuestionCategory(models.Model):
    """A group of a course's bank questions; an assessment draws N questions from each."""

    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="question_categories"
    )
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="category_name_per_course")
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    """A course's final assessment (``course`` set), or a formative quiz after a module
    (``module`` set; it does not count towards completion). Pass mark and attempts allowed of a
    final assessment live on the course; a quiz may be retaken freely."""

    course = models.OneToOneField(
        "catalog.Course",
        on_delete=models.CASCADE,
        related_name="assessment",
        null=True,
        blank=True,
    )
    module = models.OneToOneField(
        "catalog.Module", on_delete=models.CASCADE, related_name="quiz", null=True, blank=True
    )
    title = models.CharField(max_length=200, default="Final assessment")
    instructions = models.TextField(
        blank=True, help_text=gettext_lazy("Markdown, shown before the questions.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=gettext_lazy("Leave blank for no time limit."),
    )
    shuffle_questions = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Each attempt sees the drawn questions in a random order."),
    )
    shuffle_choices = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Each attempt sees the options of choice questions in a random order "
            "(true or false stays True, False)."
        ),
    )
    second_marking = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Essays are moderated by a second tutor before the result is released."
        ),
    )

    class Meta:
        permissions = [
            ("author_assessments", "Can build question banks and assessments in the studio"),
            ("mark_essays", "Can mark essays on the courses they tutor"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(course__isnull=True, module__isnull=False)
                | models.Q(course__isnull=False, module__isnull=True),
                name="assessment_final_or_quiz",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def formative(self) -> bool:
        return self.module_id is not None

    @property
    def owner_course(self):
        """The course this assessment belongs to, final or quiz."""
        return self.course if self.course_id else self.module.course

    @property
    def owner_course_id(self) -> int:
        return self.course_id if self.course_id else self.module.course_id


class DrawRule(models.Model):
    """Draw ``count`` questions at random from ``category`` for each attempt."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="rules")
    # RESTRICT, not PROTECT: a category in use cannot be deleted on its own, but deleting the
    # course deletes its whole bank with it.
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.RESTRICT, related_name="draw_rules"
    )
    count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["category__position", "category_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "category"], name="draw_rule_once_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} from category {self.category_id}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", gettext_lazy("Single choice")
        MULTIPLE = "multiple", gettext_lazy("Multiple choice (choose all that apply)")
        TRUE_FALSE = "true_false", gettext_lazy("True or false")
        SHORT = "short", gettext_lazy("Short answer")
        NUMERIC = "numeric", gettext_lazy("Number")
        MATCHING = "matching", gettext_lazy("Matching")
        ORDERING = "ordering", gettext_lazy("Ordering")
        ESSAY = "essay", gettext_lazy("Essay (marked by a tutor)")

    class Match(models.TextChoices):
        EXACT = "exact", gettext_lazy("Exactly as written")
        CASE_INSENSITIVE = "case_insensitive", gettext_lazy("Ignoring capital letters")

    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="bank_questions"
    )
    category = models.ForeignKey(
        QuestionCategory, on_delete=models.RESTRICT, related_name="questions"
    )
    position = models.PositiveIntegerField(
        default=0, help_text=gettext_lazy("Lower numbers come first.")
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField()
    explanation = models.TextField(
        blank=True,
        help_text=gettext_lazy("Feedback shown with the result: why the right answer is right."),
    )
    points = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    partial_credit = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Multiple choice, matching and ordering: give a share of the points for a "
            "partly right answer. Off means all or nothing."
        ),
    )
    match = models.CharField(
        "short answers match",
        max_length=20,
        choices=Match.choices,
        default=Match.CASE_INSENSITIVE,
    )
    numeric_answer = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    numeric_tolerance = models.DecimalField(
        max_digits=14,
        decimal_places=6,
        default=0,
        help_text=gettext_lazy("Answers this far either side pass."),
    )
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Retired questions are kept but no longer drawn."),
    )

    class Meta:
        ordering = ["category__position", "category_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def allows_many(self) -> bool:
        return self.kind == self.Kind.MULTIPLE

    @property
    def uses_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE, self.Kind.TRUE_FALSE)


class Choice(models.Model):
    """An option of a choice question; an accepted answer of a short-answer question; a pair of a
    matching question (``text`` matches ``match_text``); an item of an ordering question (the
    right order is ``position``)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(
        default=0, help_text=gettext_lazy("Lower numbers come first.")
    )
    text = models.CharField(max_length=500)
    match_text = models.CharField(max_length=500, blank=True)
    is_correct = models.BooleanField("correct", default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class RubricCriterion(models.Model):
    """One line of an essay question's rubric: what is looked for, and its marks."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=300)
    max_marks = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

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
        help_text=gettext_lazy(
            "The enrolment's cycle (1, then one more per renewal); the attempts allowed "
            "are counted per cycle."
        ),
    )
    number = models.PositiveSmallIntegerField(help_text=gettext_lazy("1, 2, ... within the cycle."))
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(
        default=False, help_text=gettext_lazy("Closed at its deadline; no answers were accepted.")
    )
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    points_possible = models.PositiveIntegerField(null=True, blank=True)
    score = models.DecimalField("score (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    marking_pending = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Submitted, with essays still to be marked (or moderated): no result yet."
        ),
    )
    draw = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy(
            'The questions drawn, in the order shown: [{"question": id, "choices": [ids]}].'
        ),
    )

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
    text = models.TextField(
        blank=True, help_text=gettext_lazy("A short answer, a number or an essay.")
    )
    response = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy("Matching: {item id: option id}; ordering: [ids]."),
    )
    correct = models.BooleanField()
    points_awarded = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="answer_one_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class Marking(models.Model):
    """A tutor's marks for an essay answer against the rubric, with written feedback, and the
    optional second marker's moderation (agreed, or the mark changed; audited)."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="marking")
    marker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    marked_at = models.DateTimeField()
    feedback = models.TextField()
    first_marks = models.DecimalField(max_digits=7, decimal_places=2)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_agreed = models.BooleanField(null=True, blank=True)
    moderation_note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Marking {self.pk}"


class CriterionMark(models.Model):
    marking = models.ForeignKey(Marking, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    marks = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["marking", "criterion"], name="one_mark_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.marks} marks"
