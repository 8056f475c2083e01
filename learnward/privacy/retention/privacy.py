"""Registry declarations for the retention app's models."""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL
from learnward.privacy.retention.models import (
    RetentionOverride,
    RetentionPeriodState,
    RetentionRun,
    RetentionWarning,
)

# Field paths to the data subject (code, not text): named here so no one mistakes them for words.
_SUBJECT_CHANGED_BY = "changed_by"
_SUBJECT_USER = "user"

declare(
    RetentionOverride,
    subject=_SUBJECT_CHANGED_BY,
    fields={
        "id": NOT_PERSONAL,
        "rule": NOT_PERSONAL,
        "months": NOT_PERSONAL,
        "reason": NOT_PERSONAL,
        "changed_by": "user.unique_id",
        "changed_at": NOT_PERSONAL,
    },
    purposes=["audit"],
    erasure=Erasure.anonymise(
        "changed_by", reason=_("The retention period stays in force; only who set it is removed.")
    ),
    retention_note=_("While the period applies; the audit trail keeps the history of changes."),
    source=_("Staff, when they change a retention period"),
    label=_("Retention periods set by staff"),
)
for _model in (RetentionPeriodState, RetentionRun):
    declare(_model, fields={f.name: NOT_PERSONAL for f in _model._meta.concrete_fields})
declare(
    RetentionWarning,
    subject=_SUBJECT_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "anchor": "user.account.settings",
        "deletion_due_at": "user.account.settings",
        "created_at": "user.account.settings",
        "sent_at": "user.account.settings",
    },
    purposes=["account"],
    erasure=Erasure.delete(),
    retention_note=_("Until the account is kept or deleted; deleted with the account."),
    source=_("The platform, when your deactivated account is due for deletion"),
    label=_("Account deletion warnings"),
)
