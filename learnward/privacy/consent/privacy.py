"""Registry declarations for consent records and the cookie register and restriction and objection state."""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.consent.models import (
    ConsentRecord,
    CookieDefinition,
    Objection,
    ProcessingRestriction,
)
from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

# Field paths to the data subject (code, not text): named here so no one mistakes them for words.
_SUBJECT_SUBJECT = "subject"
_SUBJECT_USER = "user"

declare(
    ConsentRecord,
    subject=_SUBJECT_SUBJECT,
    fields={
        "id": NOT_PERSONAL,
        "subject": "user.unique_id",
        "browser_id": "user.device.cookie_id",
        "purpose": "user.consent",
        "topic": "user.consent",
        "channel": "user.consent",
        "given": "user.consent",
        "text": "user.consent",
        "version": "user.consent",
        "method": "user.consent",
        "at": "user.consent",
    },
    purposes=["marketing", "research", "cookies_analytics", "guardian_consent", "audit"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "Choices made with an account are kept as proof for as long as the account "
            "exists; cookie choices made without signing in are deleted 13 months after they were "
            "made"
        ),
        anchor="at",
        months=13,
        action=RetentionAction.DELETE,
        filter={"subject__isnull": True},
        setting="LEARNWARD_RETENTION_COOKIE_CHOICE_MONTHS",
        minimum_months=12,
    ),
    source=_("You, when you make a choice about emails, cookies or research"),
    label=_("Your consent choices"),
)

declare(
    CookieDefinition,
    fields={
        "id": NOT_PERSONAL,
        "name": NOT_PERSONAL,
        "provider": NOT_PERSONAL,
        "purpose": NOT_PERSONAL,
        "duration": NOT_PERSONAL,
        "essential": NOT_PERSONAL,
        "script_url": NOT_PERSONAL,
        "enabled": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
    },
)


# Restriction of processing and objections: state the gate reads.
_REQUEST = "user.rights_request"

declare(
    ProcessingRestriction,
    subject=_SUBJECT_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "requested_by": _REQUEST,
        "reason": _REQUEST,
        "started_at": _REQUEST,
        "lifted_at": _REQUEST,
        "lift_reason": _REQUEST,
        "request": NOT_PERSONAL,
    },
    purposes=["rights_requests"],
    erasure=Erasure.delete(),
    retention_note=_("While your account exists."),
    source=_("You, or the DPO acting on your request"),
    label=_("Restrictions of processing"),
)
declare(
    Objection,
    subject=_SUBJECT_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "purpose": _REQUEST,
        "reason": _REQUEST,
        "recorded_at": _REQUEST,
        "withdrawn_at": _REQUEST,
        "request": NOT_PERSONAL,
    },
    purposes=["rights_requests"],
    erasure=Erasure.delete(),
    retention_note=_("While your account exists."),
    source=_("You, or the DPO acting on your request"),
    label=_("Your objections"),
)
