import json

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from learnward.privacy.registry import (
    Erasure,
    Retention,
    RetentionAction,
    declare,
    register_notice_section,
)
from learnward.privacy.registry.export import register_attachments
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import Certificate, ExpiryReminder, VerificationTally

CERTIFICATE = "user.credential.certificate"
# The field paths to the person the rows are about (not text: the lint reads subject= as text).
HOLDER = "user"
REMINDED = "certificate__user"


def _retention_description() -> str:
    years = settings.CERTIFICATE_RECORD_YEARS
    return ngettext(
        "Until the certificate expires, then %(years)s more year "
        "(LEARNWARD_CERTIFICATE_RECORD_YEARS); certificates without an expiry date are kept "
        "for as long as we issue certificates, so that they stay verifiable",
        "Until the certificate expires, then %(years)s more years "
        "(LEARNWARD_CERTIFICATE_RECORD_YEARS); certificates without an expiry date are kept "
        "for as long as we issue certificates, so that they stay verifiable",
        years,
    ) % {"years": years}


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
    "assessed_elsewhere",
    "layout",
    "awarding_body",
    "accreditation_number",
    # The course it is for: it says no more than the course title kept beside it, and the signed
    # credential's achievement is named after it, so the credential stays the same after erasure.
    "course",
)

declare(
    Certificate,
    subject=HOLDER,
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
        # Issued by hand for learning assessed outside the platform; verifiers see that it was.
        "assessed_elsewhere": CERTIFICATE,
        # Why staff issued it by hand (an exam, a classroom course); staff and the audit only.
        "hand_issue_reason": CERTIFICATE,
        # The course's design, awarding body and accreditation number at award: printed on the
        # certificate and shown to verifiers; about the course, not the person.
        "layout": CERTIFICATE,
        "awarding_body": CERTIFICATE,
        "accreditation_number": CERTIFICATE,
    },
    purposes=["certification"],
    # Erasure keeps the snapshot a verifier needs (with the course it is for) and clears the links
    # to the account and the completion (the registry overwrites every personal field not kept).
    erasure=Erasure.retain(
        reason=_(
            "Kept as a limited record for certificate verification: employers, regulators and "
            "others you showed the certificate to can still check it is genuine, and we can deal "
            "with fraud and disputes. The link to your account is removed."
        ),
        fields=RETAINED_FIELDS,
    ),
    retention=Retention(
        # Lazy, like the rest of the wording: the notice is written in each language.
        description=lazy(_retention_description, str)(),
        anchor="expires_on",
        months=settings.CERTIFICATE_RECORD_YEARS * 12,
        action=RetentionAction.DELETE,
    ),
    source=_(
        "Us, when you complete a course, or our staff, when they issue a certificate for "
        "learning assessed outside the platform (your name as it was on your profile at the time)"
    ),
    label=_("Certificates"),
)

declare(
    ExpiryReminder,
    subject=REMINDED,
    fields={
        "id": NOT_PERSONAL,
        "certificate": "user.communications",
        "days_before": "user.communications",
        "sent_at": "user.communications",
    },
    purposes=["certification"],
    erasure=Erasure.delete(),
    retention_note=_(
        "Kept with the certificate it is about, so that a reminder is never sent twice; "
        "deleted with the certificate."
    ),
    source=_("Us, when we email you that a certificate is about to expire"),
    label=_("Certificate expiry reminders sent to you"),
)

# Counts per course and month; no certificate, holder or verifier is recorded.
declare(
    VerificationTally,
    fields={n: NOT_PERSONAL for n in ("id", "course", "month", "count")},
)


# --- the certificates' files in a subject's export archive -------------------------------------------


def _export_attachments(user):
    """Each certificate's PDF and signed credential, for the export archive."""
    from . import selectors

    meta = {"purposes": ["certification"], "categories": ["Certificates awarded", "Name"]}
    for certificate in selectors.certificates_for_user(actor=user, user=user).iterator():
        stem = f"certificates/{certificate.code}"
        yield f"{stem}.pdf", selectors.certificate_pdf_bytes(certificate=certificate), meta
        credential = selectors.certificate_credential(certificate=certificate)
        yield (
            f"{stem}.credential.json",
            json.dumps(credential, indent=2, ensure_ascii=False).encode(),
            meta,
        )


register_attachments(_export_attachments)


# --- the certificates' section of the privacy notice ---------------------------------------------


# The public record's keys as the notice names them (the model's automatic verbose names are
# not translatable).
VERIFIER_LABELS = {
    "code": _("Code"),
    "holder_name": _("Holder name"),
    "course_title": _("Course title"),
    "cpd_hours": _("CPD hours"),
    "awarded_on": _("Awarded on"),
    "expires_on": _("Expires on"),
    "assessed_elsewhere": _("Assessed outside the platform"),
    "revoked_on": _("Revoked on"),
    "revocation_reason": _("Revocation reason"),
    "renews": _("Renews"),
    "renewed_by": _("Renewed by"),
}


def _notice_section() -> dict:
    """What a verifier sees: the keys of the public record the verification page and API use,
    labelled from the model's fields."""
    from datetime import date

    from django.urls import reverse

    from .verification import public_record

    today = date.today()
    sample = Certificate(
        code="0" * 13,
        holder_name="",
        course_title="",
        cpd_hours=0,
        awarded_on=today,
        expires_on=today,
        revoked_on=today,
        revocation_reason="",
        assessed_elsewhere=True,
    )
    labels = []
    for key in public_record(sample):
        if key == "status":
            labels.append(str(_("Status now: valid, expired or revoked")))
            continue
        if key in VERIFIER_LABELS:
            labels.append(str(VERIFIER_LABELS[key]))
            continue
        try:
            label = str(Certificate._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:  # a computed key: show it as named
            label = key.replace("_", " ")
        labels.append(label[0].upper() + label[1:])
    return {"verifier_sees": labels, "verify_url": reverse("certificates:verify_form")}


register_notice_section("certificates", _notice_section)
