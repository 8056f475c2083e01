from django.conf import settings

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.taxonomy import NOT_PERSONAL

from .models import Certificate, ExpiryReminder, VerificationTally

CERTIFICATE = "user.credential.certificate"

# What a verifier needs, and what the notice promises to keep as the limited record.
RETAINED_FIELDS = (
    "code",
    "holder_name",
    "course_title",
    "cpd_hours",
    "awarded_on",
    "expires_on",
    "revoked_on",
    "revocation_reason",
    "replaced_by",
    "renews",
    "verification_count",
    "created_at",
)

declare(
    Certificate,
    subject="user",
    fields={
        "id": NOT_PERSONAL,
        "code": CERTIFICATE,
        "user": "user.unique_id",
        "completion": "user.behavior.learning_activity",
        "course": "user.behavior.learning_activity",
        "holder_name": "user.name",
        "course_title": CERTIFICATE,
        "cpd_hours": CERTIFICATE,
        "awarded_on": CERTIFICATE,
        "expires_on": CERTIFICATE,
        "revoked_on": CERTIFICATE,
        "revocation_reason": CERTIFICATE,
        "replaced_by": CERTIFICATE,
        "renews": CERTIFICATE,
        # A position in the published revocation bitstring; says nothing about the person.
        "status_list": NOT_PERSONAL,
        "status_list_index": NOT_PERSONAL,
        # How many times anyone checked the certificate; who checked is never stored.
        "verification_count": CERTIFICATE,
        "created_at": CERTIFICATE,
    },
    purposes=["certification"],
    # Erasure keeps the snapshot a verifier needs and clears the links to the account, the
    # completion and the course (the registry overwrites every personal field not kept).
    erasure=Erasure.retain(
        reason=(
            "Kept as a limited record for certificate verification: employers, regulators and "
            "others you showed the certificate to can still check it is genuine, and we can deal "
            "with fraud and disputes. The link to your account is removed."
        ),
        fields=RETAINED_FIELDS,
    ),
    retention=Retention(
        description=(
            f"Until the certificate expires, then {settings.CERTIFICATE_RECORD_YEARS} more years "
            "(LEARNWARD_CERTIFICATE_RECORD_YEARS); certificates without an expiry date are kept "
            "for as long as we issue certificates, so that they stay verifiable"
        ),
        anchor="expires_on",
        months=settings.CERTIFICATE_RECORD_YEARS * 12,
        action=RetentionAction.DELETE,
    ),
    source="Us, when you complete a course (your name as it was on your profile at the time)",
    label="Certificates",
)

declare(
    ExpiryReminder,
    subject="certificate__user",
    fields={
        "id": NOT_PERSONAL,
        "certificate": "user.communications",
        "days_before": "user.communications",
        "sent_at": "user.communications",
    },
    purposes=["certification"],
    erasure=Erasure.delete(),
    retention_note=(
        "Kept with the certificate it is about, so that a reminder is never sent twice; "
        "deleted with the certificate."
    ),
    source="Us, when we email you that a certificate is about to expire",
    label="Certificate expiry reminders sent to you",
)

# Counts per course and month; no certificate, holder or verifier is recorded.
declare(
    VerificationTally,
    fields={n: NOT_PERSONAL for n in ("id", "course", "month", "count")},
)
