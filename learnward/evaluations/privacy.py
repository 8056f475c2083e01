from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Evaluation, EvaluationInvitation

declare(
    EvaluationInvitation,
    subject="completion__enrolment__user",
    fields={
        "id": NOT_PERSONAL,
        "completion": "user.behavior.learning_activity",
        "invited_at": "user.communications",
        "emailed_at": "user.communications",
    },
    purposes=["evaluation"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("12 months after the invitation"),
        anchor="invited_at",
        months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_EVALUATION_INVITATION_MONTHS",
    ),
    source=_("Us, when you complete a course"),
    label=_("Invitations to evaluate a course"),
)

declare(
    Evaluation,
    subject="completion__enrolment__user",
    fields={
        "id": NOT_PERSONAL,
        "course": NOT_PERSONAL,
        "completion": "user.behavior.learning_activity",
        "rating": "user.content.message",
        "comments": "user.content.message",
        "share_comments": "user.consent",
        "submitted_at": "user.content.message",
        "updated_at": "user.content.message",
    },
    purposes=["evaluation", "research"],
    erasure=Erasure.anonymise(
        "completion",
        "comments",
        "share_comments",
        reason=_("The rating stays, with no link to you, in the course's anonymous totals."),
    ),
    retention=Retention(
        description=_(
            "Comments and the link to you are removed 36 months after the evaluation; "
            "the rating stays in the course's anonymous totals"
        ),
        anchor="submitted_at",
        months=36,
        action=RetentionAction.ANONYMISE,
        fields=("completion", "comments", "share_comments"),
        setting="LEARNWARD_RETENTION_EVALUATION_MONTHS",
        minimum_months=12,
    ),
    source=_("You, when you evaluate a course"),
    label=_("Your course evaluations"),
)
