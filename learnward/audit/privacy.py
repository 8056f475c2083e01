from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, ErasureAction, declare
from learnward.privacy.registry.erasure import Eraser, Subject, register_eraser
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import AuditEntry, AuditHead

# The field that names the person a declaration is about (a field path, not text).
BY_SUBJECT_ID = "subject_id"

declare(
    AuditEntry,
    subject=BY_SUBJECT_ID,
    fields={
        "id": NOT_PERSONAL,
        "sequence": NOT_PERSONAL,
        "created_at": "user.audit",
        "actor_id": "user.unique_id",
        "subject_id": "user.unique_id",
        "action": "user.audit",
        "target_type": NOT_PERSONAL,
        "target_id": "user.audit",
        "payload": "user.audit",
        "payload_salt": NOT_PERSONAL,
        "payload_digest": NOT_PERSONAL,
        "payload_erased_at": NOT_PERSONAL,
        "previous_hash": NOT_PERSONAL,
        "hash": NOT_PERSONAL,
    },
    purposes=["audit"],
    erasure=Erasure.anonymise(
        "payload",
        "payload_salt",
        reason=_(
            "The entry stays so the tamper-evident chain still verifies; its payload and salt "
            "are wiped, so what it said about you can no longer be read or confirmed."
        ),
    ),
    retention_note=_(
        "Kept for as long as the platform runs, to prove accountability; payloads "
        "about you are wiped when your data is erased."
    ),
    label=_("Records of actions on your account"),
)
declare(AuditHead, fields={"id": NOT_PERSONAL, "sequence": NOT_PERSONAL, "hash": NOT_PERSONAL})


# Erasure wipes the payloads about the subject through the audit trail's own service, so the chain
# still verifies; the registry's engine knows only that this eraser exists.
def _count_payloads(subject: Subject) -> int:
    if subject.user_id is None:
        return 0
    return AuditEntry.objects.filter(
        subject_id=subject.user_id, payload_erased_at__isnull=True
    ).count()


def _erase_payloads(subject: Subject) -> int:
    from .services import audit_erase_subject_payloads

    if subject.user_id is None:
        return 0
    return audit_erase_subject_payloads(subject_id=subject.user_id)


register_eraser(
    "audit.AuditEntry",
    Eraser(
        ErasureAction.ANONYMISE,
        _count_payloads,
        _erase_payloads,
        fields=("payload", "payload_salt"),
    ),
)
