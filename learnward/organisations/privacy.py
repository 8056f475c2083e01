"""Registry declarations for organisations (to be completed with purposes and recipients)."""

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import EmailDomain, Invitation, Membership, Organisation, RequiredCourse, SeatPool

declare(Organisation, fields={f.name: NOT_PERSONAL for f in Organisation._meta.concrete_fields})
declare(EmailDomain, fields={f.name: NOT_PERSONAL for f in EmailDomain._meta.concrete_fields})
declare(RequiredCourse, fields={f.name: NOT_PERSONAL for f in RequiredCourse._meta.concrete_fields})
declare(
    SeatPool,
    fields={
        **{f.name: NOT_PERSONAL for f in SeatPool._meta.concrete_fields},
        "created_by": "user.unique_id",
    },
    subject="created_by",
    purposes=["account"],
    erasure=Erasure.anonymise("created_by", reason="The seats belong to the organisation."),
    retention_note="Kept while the organisation exists; the pool is the organisation's record.",
)
# Membership and Invitation: declared properly by the organisations work (purpose, recipients,
# retention); a placeholder keeps the registry check whole meanwhile.
declare(
    Membership,
    subject="user",
    fields={
        **{f.name: "user.behavior.learning_activity" for f in Membership._meta.concrete_fields},
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "user": "user.unique_id",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description="24 months after leaving the organisation",
        anchor="left_at",
        months=24,
        action=RetentionAction.DELETE,
    ),
)
declare(
    Invitation,
    subject="accepted_by",
    subject_email="email",
    fields={
        **{f.name: "user.contact.email" for f in Invitation._meta.concrete_fields},
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "pool": NOT_PERSONAL,
        "invited_by": "user.unique_id",
        "accepted_by": "user.unique_id",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description="6 months after it expires",
        anchor="expires_at",
        months=6,
        action=RetentionAction.DELETE,
    ),
)
