"""Optional course evaluations after completion: a rating and comments.

Comments reach the course's authors only when the learner ticks "share", and research only with a
separate consent (purpose "research", recorded per evaluation as a consent record).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvaluationInvitation(models.Model):
    """Sent once per completion; the learner may ignore it."""

    completion = models.OneToOneField(
        "learning.Completion", on_delete=models.CASCADE, related_name="evaluation_invitation"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-invited_at"]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"


class Evaluation(models.Model):
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="evaluations"
    )
    # Cleared when the learner's data is erased: the rating then stays only in the totals.
    completion = models.OneToOneField(
        "learning.Completion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evaluation",
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comments = models.TextField(blank=True)
    share_comments = models.BooleanField(
        _("share comments with the course's authors"),
        default=False,
        help_text=_("Authors see the comments without the learner's name."),
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("view_evaluation_results", "Can see course evaluation results"),
            ("use_for_research", "Can read evaluation comments given for research"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation {self.pk}"

    @property
    def research_topic(self) -> str:
        return f"evaluation:{self.pk}"
