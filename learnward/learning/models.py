"""Enrolments, learning activity, completions and awarding-body registration details."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    """One per learner per course. Leaving sets ``left_at``; enrolling again clears it.

    A course that renews its own certificate is taken again in a new *cycle* on the same
    enrolment (``cycle`` 2, 3, ...): only the lessons completed and the attempts made since
    ``cycle_started_at`` count towards completing the current cycle, and each cycle is completed
    at most once. Earlier cycles' activity, attempts and completions are kept as they were.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.PROTECT, related_name="enrolments"
    )
    enrolled_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    cycle = models.PositiveIntegerField(
        default=1, help_text=_("Which time through the course: 1, then one more for each renewal.")
    )
    cycle_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the current cycle began (a renewal); empty for the first cycle, which "
            "began at enrolment."
        ),
    )

    class Meta:
        ordering = ["-enrolled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrolment_one_per_course")
        ]
        permissions = [
            ("tutor_learners", "Can follow the learners of the courses they tutor"),
        ]

    def __str__(self) -> str:
        return f"Enrolment {self.pk}"

    @property
    def active(self) -> bool:
        return self.left_at is None

    @property
    def completion(self) -> Completion | None:
        """The current cycle's completion, or None while the cycle is in progress.

        Loaded with the enrolment by selectors (``with_current_completion``); otherwise one
        query, remembered on the instance.
        """
        cache = self.__dict__
        if CURRENT_COMPLETION not in cache:
            if _LOADED in cache and cache[_LOADED] is None:
                cache[CURRENT_COMPLETION] = None  # joined in, and there was none
            elif self.pk is None:
                cache[CURRENT_COMPLETION] = None
            else:
                cache[CURRENT_COMPLETION] = Completion.objects.filter(
                    enrolment=self, cycle=self.cycle
                ).first()
        return cache[CURRENT_COMPLETION]

    def forget_completion(self) -> None:
        self.__dict__.pop(CURRENT_COMPLETION, None)
        self.__dict__.pop(_LOADED, None)

    def refresh_from_db(self, *args, **kwargs) -> None:
        self.forget_completion()
        super().refresh_from_db(*args, **kwargs)


# The attribute (and FilteredRelation name) holding an enrolment's current-cycle completion,
# and the annotation that tells "joined in, none" (Django sets no attribute then) from "not
# loaded".
CURRENT_COMPLETION = "current_completion"
_LOADED = "current_completion_pk"


def with_current_completion(queryset: models.QuerySet) -> models.QuerySet:
    """Enrolments with their current cycle's completion joined in the same query."""
    return (
        queryset.annotate(
            **{
                CURRENT_COMPLETION: models.FilteredRelation(
                    "completion", condition=models.Q(completion__cycle=models.F("cycle"))
                )
            }
        )
        .annotate(**{_LOADED: models.F(f"{CURRENT_COMPLETION}__pk")})
        .select_related(CURRENT_COMPLETION)
    )


class ActivityEvent(models.Model):
    """A lesson viewed or completed. Progress is derived from these rows.

    Deliberately no incoming foreign keys and no unique constraint besides the primary key: on
    PostgreSQL this table is partitioned by month (``occurred_at``) so retention can drop whole
    partitions. ``course`` is stored (not only reached through the lesson) so progress per
    course is one grouped query.
    """

    class Kind(models.TextChoices):
        VIEWED = "viewed", _("Lesson viewed")
        COMPLETED = "completed", _("Lesson completed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("catalog.Lesson", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(fields=["user", "course", "kind"], name="activity_user_course_kind"),
            models.Index(fields=["occurred_at"], name="activity_occurred_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} lesson {self.lesson_id}"


class Completion(models.Model):
    """A course completed: every lesson completed and the assessment passed in one cycle.

    Exactly one per enrolment and cycle (the unique constraint backs the service's lock).
    """

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="completions",
        related_query_name="completion",
    )
    cycle = models.PositiveIntegerField(default=1)
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "cycle"], name="completion_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"Completion {self.pk}"

    @property
    def user(self):
        return self.enrolment.user

    @property
    def course(self):
        return self.enrolment.course


class RegistrationDetails(models.Model):
    """What an awarding body requires to register a learner, given when enrolling.

    Only the fields the course's awarding body asks for are filled in. Ethnicity and disability
    are special categories (UK GDPR Art. 9): they are stored only with explicit consent, whose
    exact wording and time are kept here.
    """

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        NON_BINARY = "non_binary", _("Non-binary")
        OTHER = "other", _("Another gender")
        PREFER_NOT = "prefer_not_to_say", _("Prefer not to say")

    class Ethnicity(models.TextChoices):
        # The five high-level groups of the 2021 census for England and Wales.
        ASIAN = "asian", _("Asian or Asian British")
        BLACK = "black", _("Black, Black British, Caribbean or African")
        MIXED = "mixed", _("Mixed or multiple ethnic groups")
        WHITE = "white", _("White")
        OTHER = "other", _("Other ethnic group")

    class Disability(models.TextChoices):
        NONE = "none", _("No, I have nothing to declare")
        DECLARED = "declared", _("Yes, I want to declare one")

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="registration"
    )
    date_of_birth = models.DateField(null=True, blank=True)
    home_postcode = models.CharField(max_length=10, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=20, choices=Ethnicity.choices, blank=True)
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)
    disability_details = models.TextField(blank=True)
    special_category_consent_text = models.TextField(
        blank=True, help_text=_("The exact consent wording the learner agreed to.")
    )
    special_category_consent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("awarding-body registration details")
        verbose_name_plural = _("awarding-body registration details")

    def __str__(self) -> str:
        return f"Registration details {self.pk}"
