from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Mailing, MailingDelivery

declare(
    Mailing,
    subject="created_by",
    fields={
        "id": NOT_PERSONAL,
        "topic": NOT_PERSONAL,
        "subject": NOT_PERSONAL,
        "body_markdown": NOT_PERSONAL,
        "status": NOT_PERSONAL,
        "created_by": "user.unique_id",
        "created_at": NOT_PERSONAL,
        "queued_at": NOT_PERSONAL,
        "finished_at": NOT_PERSONAL,
        "cursor": NOT_PERSONAL,
        "sent_count": NOT_PERSONAL,
        "failed_count": NOT_PERSONAL,
        "skipped_no_consent": NOT_PERSONAL,
        "skipped_restricted": NOT_PERSONAL,
        "skipped_objecting": NOT_PERSONAL,
        "skipped_minor": NOT_PERSONAL,
    },
    purposes=["marketing"],
    erasure=Erasure.anonymise(
        "created_by",
        reason="The mailing stays as the record of what was sent; only the link "
        "to the staff member who wrote it is removed.",
    ),
    retention_note="Mailings are kept as the record of what was sent; they hold no learner data.",
    source="Staff, when they write a mailing",
    label="Mailings written by staff",
)

declare(
    MailingDelivery,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "mailing": "user.communications",
        "user": "user.unique_id",
        "status": "user.communications",
        "created_at": "user.communications",
        "sent_at": "user.communications",
    },
    purposes=["marketing"],
    erasure=Erasure.delete(),
    retention=Retention(
        description="24 months after the email was sent",
        anchor="created_at",
        months=24,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_MAILING_DELIVERY_MONTHS",
        minimum_months=1,
    ),
    source="Us, when we send you a marketing email you asked for",
    label="Marketing emails sent to you",
)
