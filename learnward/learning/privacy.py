from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import ActivityEvent, Completion, Enrolment, RegistrationDetails

declare(
    Enrolment,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "course": "user.behavior.learning_activity",
        "enrolled_at": "user.behavior.learning_activity",
        "left_at": "user.behavior.learning_activity",
        "cycle": "user.behavior.learning_activity",
        "cycle_started_at": "user.behavior.learning_activity",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention_note=_("For as long as your account exists; deleted with it."),
    source=_("You, when you enrol on or leave a course"),
    label=_("Your enrolments"),
)
declare(
    ActivityEvent,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "course": "user.behavior.learning_activity",
        "lesson": "user.behavior.learning_activity",
        "kind": "user.behavior.learning_activity",
        "occurred_at": "user.behavior.learning_activity",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "24 months after the lesson was viewed or completed; course completions "
            "and results are kept separately"
        ),
        anchor="occurred_at",
        months=24,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_ACTIVITY_MONTHS",
    ),
    source=_("Your browser, when you open or complete a lesson"),
    label=_("Lessons you viewed and completed"),
)
declare(
    Completion,
    subject="enrolment__user",
    fields={
        "id": NOT_PERSONAL,
        "enrolment": "user.behavior.learning_activity",
        "cycle": "user.behavior.learning_activity",
        "completed_at": "user.behavior.learning_activity",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention_note=_(
        "For as long as your account exists. Your certificate is a separate record "
        "and outlives it as the notice describes."
    ),
    source=_("The platform, when you finish every lesson and pass the assessment"),
    label=_("Courses you completed"),
)
declare(
    RegistrationDetails,
    subject="enrolment__user",
    fields={
        "id": NOT_PERSONAL,
        "enrolment": "user.behavior.learning_activity",
        "date_of_birth": "user.demographic.date_of_birth",
        "home_postcode": "user.contact.address.postal_code",
        "gender": "user.demographic.gender",
        "ethnicity": "user.demographic.ethnicity",
        "disability": "user.health_and_medical",
        "disability_details": "user.health_and_medical",
        "special_category_consent_text": "user.consent",
        "special_category_consent_at": "user.consent",
        "submitted_at": "user.behavior.learning_activity",
    },
    purposes=["awarding_body_registration"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "24 months after you gave them, long enough for the awarding body to "
            "register you and certificate the programme"
        ),
        anchor="submitted_at",
        months=24,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_REGISTRATION_MONTHS",
    ),
    source=_("You, when you enrol on a course certificated by an awarding body"),
    label=_("Awarding-body registration details"),
)
