"""Registry declarations for retention, processors, breaches and the notice (this app's models).

Imported from ``privacy.py`` so the registry finds them with the rest of the privacy app.
"""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.records.authority import supervisory_authority
from learnward.privacy.records.models import (
    Breach,
    BreachNotification,
    NoticeAcknowledgement,
    NoticeVersion,
    Processor,
)
from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.describe import register_supervisory_authority
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

# The export's README and "My data" name the authority configured for the site.
register_supervisory_authority(supervisory_authority)

declare(
    Processor,
    fields={
        name: NOT_PERSONAL
        for name in (
            "id",
            "name",
            "role",
            "engaged_by",
            "service",
            "purposes",
            "data_categories",
            "location",
            "transfer_mechanism",
            "safeguards",
            "contract_date",
            "active",
            "created_at",
            "updated_at",
        )
    },
)
declare(
    Breach,
    subject="recorded_by",
    fields={
        "id": NOT_PERSONAL,
        "title": NOT_PERSONAL,
        "detected_at": NOT_PERSONAL,
        "occurred_at": NOT_PERSONAL,
        "nature": NOT_PERSONAL,
        "data_categories": NOT_PERSONAL,
        "people_affected": NOT_PERSONAL,
        "records_affected": NOT_PERSONAL,
        "likely_consequences": NOT_PERSONAL,
        "measures_taken": NOT_PERSONAL,
        "contact_point": "user.contact.email",
        "advice_to_people": NOT_PERSONAL,
        "ico_decision": NOT_PERSONAL,
        "ico_decision_reasons": NOT_PERSONAL,
        "ico_notified_at": NOT_PERSONAL,
        "ico_reference": NOT_PERSONAL,
        "delay_reasons": NOT_PERSONAL,
        "people_decision": NOT_PERSONAL,
        "people_decision_reasons": NOT_PERSONAL,
        "recorded_by": "user.unique_id",
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
    },
    purposes=["breach_management"],
    # RETAIN keeps the contact point given to the ICO (evidence) and overwrites every other
    # personal field, i.e. the link to the member of staff who recorded it.
    erasure=Erasure.retain(
        fields=("contact_point",),
        reason=_(
            "The breach record is evidence we must keep (UK GDPR Art. 33(5)); only the link "
            "to the member of staff who recorded it is removed."
        ),
    ),
    retention=Retention(
        description=_("6 years after the breach was detected, as evidence of how it was handled"),
        anchor="detected_at",
        months=72,
        minimum_months=36,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_BREACH_MONTHS",
    ),
    source=_("Our data protection officer, when they record a breach"),
    label=_("Personal data breach records"),
)
declare(
    BreachNotification,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "breach": "user.audit",
        "user": "user.unique_id",
        "status": "user.audit",
        "created_at": "user.audit",
        "sent_at": "user.audit",
    },
    purposes=["breach_management"],
    erasure=Erasure.anonymise(
        "user",
        reason=_("We keep the count of people told as evidence; the link to you is removed."),
    ),
    retention_note=_("Kept with the breach record it belongs to and deleted with it."),
    source=_("The platform, when we tell you about a breach that affects you"),
    label=_("Breach notices sent to you"),
)
declare(
    NoticeVersion,
    fields={f.name: NOT_PERSONAL for f in NoticeVersion._meta.concrete_fields},
)
declare(
    NoticeAcknowledgement,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "version": "user.consent",
        "seen_at": "user.consent",
        "language": "user.preference.language",
    },
    purposes=["account"],
    erasure=Erasure.delete(),
    retention_note=_("For as long as your account exists; deleted with it."),
    source=_("The platform, when you read the privacy notice while signed in"),
    label=_("Privacy notice versions you have seen"),
)
