from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Enquiry, SupportMessage

_MESSAGE = "user.content.message"
# The ORM paths to the person a row is about (not text: kept out of the i18n lint's way).
_BY_USER = "user"
_BY_ENQUIRY_USER = "enquiry__user"

declare(
    Enquiry,
    subject=_BY_USER,
    subject_email="email",
    fields={
        "id": NOT_PERSONAL,
        "reference": _MESSAGE,
        "kind": _MESSAGE,
        "status": _MESSAGE,
        "user": "user.unique_id",
        "name": "user.name",
        "email": "user.contact.email",
        "subject": _MESSAGE,
        "course": _MESSAGE,
        "assigned_to": _MESSAGE,
        "created_at": _MESSAGE,
        "updated_at": _MESSAGE,
        "closed_at": _MESSAGE,
        "target_response_on": _MESSAGE,
        "acknowledged_at": _MESSAGE,
        "escalated_at": _MESSAGE,
        "escalation_reason": _MESSAGE,
        "final_response_at": _MESSAGE,
        "language": "user.preference.language",
    },
    purposes=["support"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("24 months after the conversation is closed"),
        anchor="closed_at",
        months=24,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_SUPPORT_MONTHS",
        minimum_months=6,
    ),
    source=_("You, when you contact us (with or without an account)"),
    label=_("Messages you sent us"),
)

declare(
    SupportMessage,
    subject=_BY_ENQUIRY_USER,
    subject_email="enquiry__email",
    fields={
        "id": NOT_PERSONAL,
        "enquiry": _MESSAGE,
        "direction": _MESSAGE,
        "kind": _MESSAGE,
        "author": _MESSAGE,
        "body": _MESSAGE,
        "created_at": _MESSAGE,
        "emailed_at": _MESSAGE,
    },
    purposes=["support"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("24 months after the conversation is closed"),
        anchor="enquiry__closed_at",
        months=24,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_SUPPORT_MONTHS",
        minimum_months=6,
    ),
    source=_("You and our support staff"),
    label=_("Conversations with our support desk"),
)
