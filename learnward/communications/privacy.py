from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Mailing, MailingDelivery

# The query path from each row to its data subject: a lookup, not text, so never translated.
AUTHOR = "created_by"
RECIPIENT = "user"

declare(
    Mailing,
    subject=AUTHOR,
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
        reason=_(
            "The mailing stays as the record of what was sent; only the link "
            "to the staff member who wrote it is removed."
        ),
    ),
    retention_note=_(
        "Mailings are kept as the record of what was sent; they hold no learner data."
    ),
    source=_("Staff, when they write a mailing"),
    label=_("Mailings written by staff"),
)

declare(
    MailingDelivery,
    subject=RECIPIENT,
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
        description=_("24 months after the email was sent"),
        anchor="created_at",
        months=24,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_MAILING_DELIVERY_MONTHS",
        minimum_months=1,
    ),
    source=_("Us, when we send you a marketing email you asked for"),
    label=_("Marketing emails sent to you"),
)
