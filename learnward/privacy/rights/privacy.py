"""Registry declarations for the rights models (found by the registry with every app's privacy.py)."""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL
from learnward.privacy.rights.models import (
    AccountDeletion,
    RequestPause,
    RightsRequest,
    SubjectExport,
    VacuumPending,
)

# Field paths to the data subject (code, not text): named here so no one mistakes them for words.
_SUBJECT_REQUEST__REQUESTER = "request__requester"
_SUBJECT_REQUESTER = "requester"
_SUBJECT_USER = "user"

_REQUEST = "user.rights_request"
_KEEP_REASON = _(
    "We must be able to show that a request was received and answered on time; the record keeps "
    "its type, channel, dates and outcome, and loses who made it and what they wrote."
)

declare(
    RightsRequest,
    subject=_SUBJECT_REQUESTER,
    subject_email="requester_email",
    fields={
        "id": NOT_PERSONAL,
        "kind": _REQUEST,
        "channel": _REQUEST,
        "requester": "user.unique_id",
        "requester_name": "user.name",
        "requester_email": "user.contact.email",
        "details": _REQUEST,
        "received_on": _REQUEST,
        "identity_confirmed_on": _REQUEST,
        "identity_method": _REQUEST,
        "identity_note": _REQUEST,
        "identity_link_sent_at": _REQUEST,
        "extension_months": _REQUEST,
        "extension_reason": _REQUEST,
        "extension_notified_at": _REQUEST,
        "due_on": _REQUEST,
        "status": _REQUEST,
        "outcome": _REQUEST,
        "response_sent_on": _REQUEST,
        "response_summary": _REQUEST,
        "closed_at": _REQUEST,
        "created_at": _REQUEST,
        "created_by": NOT_PERSONAL,
    },
    purposes=["rights_requests"],
    erasure=Erasure.retain(
        reason=_KEEP_REASON,
        fields=(
            "kind",
            "channel",
            "received_on",
            "identity_confirmed_on",
            "identity_method",
            "identity_link_sent_at",
            "extension_months",
            "extension_notified_at",
            "due_on",
            "status",
            "outcome",
            "response_sent_on",
            "closed_at",
            "created_at",
        ),
    ),
    retention_note=_(
        "Six years after the request is closed, to answer any complaint or claim; "
        "after an erasure only its type, channel, dates and outcome remain."
    ),
    source=_("You, or the DPO recording a request you sent by letter, email or phone"),
    label=_("Your data protection requests"),
)
declare(
    RequestPause,
    subject=_SUBJECT_REQUEST__REQUESTER,
    fields={
        "id": NOT_PERSONAL,
        "request": NOT_PERSONAL,
        "started_on": _REQUEST,
        "ended_on": _REQUEST,
        "reason": _REQUEST,
    },
    purposes=["rights_requests"],
    erasure=Erasure.retain(reason=_KEEP_REASON, fields=("started_on", "ended_on")),
    retention_note=_("As long as the request it belongs to."),
    source=_("The DPO, while waiting for you to clarify a request"),
    label=_("Pauses while we waited for your reply"),
)
declare(
    AccountDeletion,
    subject=_SUBJECT_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "request": NOT_PERSONAL,
        "requested_at": _REQUEST,
        "erase_after": _REQUEST,
    },
    purposes=["rights_requests"],
    erasure=Erasure.delete(),
    retention_note=_("Until the account is erased or you cancel the deletion."),
    source=_('You, when you use "Delete my account"'),
    label=_("Your account deletion"),
)
declare(
    SubjectExport,
    subject=_SUBJECT_USER,
    fields={
        "id": NOT_PERSONAL,
        "public_id": NOT_PERSONAL,
        "user": "user.unique_id",
        "request": NOT_PERSONAL,
        "status": _REQUEST,
        "requested_at": _REQUEST,
        "ready_at": _REQUEST,
        "expires_at": _REQUEST,
        "file_name": NOT_PERSONAL,
        "size": NOT_PERSONAL,
        "downloaded_at": _REQUEST,
        "deleted_at": _REQUEST,
    },
    purposes=["rights_requests"],
    erasure=Erasure.delete(),
    retention_note=_(
        "The archive file is deleted when its download link expires (7 days by "
        "default); this record of it stays while your account exists."
    ),
    label=_("Your data downloads"),
)
declare(
    VacuumPending,
    fields={"id": NOT_PERSONAL, "table": NOT_PERSONAL, "recorded_at": NOT_PERSONAL},
)
