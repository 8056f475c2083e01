"""The one enumerated list of audited actions. Add new actions here, grouped by app."""

from django.db import models


class Action(models.TextChoices):
    # accounts
    USER_SIGNED_UP = "user.signed_up", "Signed up"
    USER_EMAIL_VERIFIED = "user.email_verified", "Email verified"
    USER_VERIFICATION_SENT = "user.verification_sent", "Verification email sent"
    USER_LOGIN_LOCKED_OUT = "user.login_locked_out", "Locked out after failed sign-ins"
    USER_PASSWORD_CHANGED = "user.password_changed", "Password changed"
    USER_PASSWORD_RESET = "user.password_reset", "Password reset by email"
    USER_PROFILE_CHANGED = "user.profile_changed", "Profile changed"
    USER_EMAIL_CHANGE_REQUESTED = "user.email_change_requested", "Email change requested"
    USER_EMAIL_CHANGED = "user.email_changed", "Email changed"
    USER_ROLE_CHANGED = "user.role_changed", "Staff roles changed"
    USER_TWO_FACTOR_ENABLED = "user.two_factor_enabled", "Two-factor sign-in turned on"
    USER_TWO_FACTOR_DISABLED = "user.two_factor_disabled", "Two-factor sign-in turned off"
    USER_STATUS_CHANGED = "user.status_changed", "Account status changed"
    # learning
    ENROLMENT_CREATED = "learning.enrolled", "Enrolled in a course"
    ENROLMENT_LEFT = "learning.left", "Left a course"
    COURSE_COMPLETED = "learning.completed", "Completed a course"
    REGISTRATION_SUBMITTED = "learning.registration_submitted", "Awarding-body details given"
    ATTEMPT_SUBMITTED = "assessments.attempt_submitted", "Assessment attempt submitted"
    # certificates
    CERTIFICATE_ISSUED = "certificates.issued", "Certificate issued"
    CERTIFICATE_REVOKED = "certificates.revoked", "Certificate revoked"
    CERTIFICATE_REISSUED = "certificates.reissued", "Certificate reissued"
    # privacy
    CONSENT_RECORDED = "privacy.consent_recorded", "Consent decision recorded"
    RIGHTS_REQUEST_RECORDED = "privacy.request_recorded", "Rights request recorded"
    RIGHTS_REQUEST_UPDATED = "privacy.request_updated", "Rights request updated"
    EXPORT_GENERATED = "privacy.export_generated", "Data export generated"
    SUBJECT_ERASED = "privacy.subject_erased", "Personal data erased"
    PROCESSING_RESTRICTED = "privacy.restricted", "Processing restricted"
    PROCESSING_UNRESTRICTED = "privacy.unrestricted", "Restriction lifted"
    OBJECTION_RECORDED = "privacy.objection", "Objection recorded"
    RETENTION_RUN = "privacy.retention_run", "Retention run"
    RETENTION_SETTING_CHANGED = "privacy.retention_setting_changed", "Retention period changed"
    BREACH_RECORDED = "privacy.breach_recorded", "Breach recorded"
    BREACH_UPDATED = "privacy.breach_updated", "Breach updated"
    BREACH_SUBJECTS_NOTIFIED = "privacy.breach_notified", "People told of a breach"
    NOTICE_PUBLISHED = "privacy.notice_published", "Privacy notice version published"
    # communications and support
    MAILING_SENT = "communications.mailing_sent", "Mailing sent"
    UNSUBSCRIBED = "communications.unsubscribed", "Unsubscribed"
    ENQUIRY_RECEIVED = "support.enquiry_received", "Enquiry received"
    ENQUIRY_REPLIED = "support.enquiry_replied", "Enquiry answered"
    ENQUIRY_STATUS_CHANGED = "support.status_changed", "Enquiry status changed"
