"""The one enumerated list of audited actions. Add new actions here, grouped by app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # accounts
    USER_SIGNED_UP = "user.signed_up", _("Signed up")
    USER_EMAIL_VERIFIED = "user.email_verified", _("Email verified")
    USER_VERIFICATION_SENT = "user.verification_sent", _("Verification email sent")
    USER_LOGIN_LOCKED_OUT = "user.login_locked_out", _("Locked out after failed sign-ins")
    USER_PASSWORD_CHECKS_PAUSED = (
        "user.password_checks_paused",
        _("Password checks paused after wrong passwords"),
    )
    USER_PASSWORD_CHANGED = "user.password_changed", _("Password changed")
    USER_PASSWORD_RESET = "user.password_reset", _("Password reset by email")
    USER_PROFILE_CHANGED = "user.profile_changed", _("Profile changed")
    USER_EMAIL_CHANGE_REQUESTED = "user.email_change_requested", _("Email change requested")
    USER_EMAIL_CHANGED = "user.email_changed", _("Email changed")
    USER_ROLE_CHANGED = "user.role_changed", _("Staff roles changed")
    USER_TWO_FACTOR_ENABLED = "user.two_factor_enabled", _("Two-factor sign-in turned on")
    USER_TWO_FACTOR_DISABLED = "user.two_factor_disabled", _("Two-factor sign-in turned off")
    USER_STATUS_CHANGED = "user.status_changed", _("Account status changed")
    GUARDIAN_REQUEST_SENT = "user.guardian_request_sent", _("Guardian's consent asked again")
    GUARDIAN_CONSENTED = "user.guardian_consented", _("Guardian agreed; account active")
    GUARDIAN_REFUSED = "user.guardian_refused", _("Guardian refused; waiting account erased")
    GUARDIAN_REQUEST_EXPIRED = (
        "user.guardian_expired",
        _("No answer from the guardian; account erased"),
    )
    # learning
    ENROLMENT_CREATED = "learning.enrolled", _("Enrolled in a course")
    ENROLMENT_LEFT = "learning.left", _("Left a course")
    COURSE_COMPLETED = "learning.completed", _("Completed a course")
    REGISTRATION_SUBMITTED = "learning.registration_submitted", _("Awarding-body details given")
    ATTEMPT_STARTED = "assessments.attempt_started", _("Assessment attempt started")
    ATTEMPT_SUBMITTED = "assessments.attempt_submitted", _("Assessment attempt submitted")
    ATTEMPT_TIMED_OUT = (
        "assessments.attempt_timed_out",
        _("Assessment attempt closed at its time limit"),
    )
    ESSAY_MARKED = "assessments.essay_marked", _("Essay answer marked by a tutor")
    ESSAY_MODERATED = "assessments.essay_moderated", _("Essay mark moderated by a second marker")
    QUESTION_BANK_CHANGED = "assessments.bank_changed", _("Question bank changed")
    # certificates
    CERTIFICATE_ISSUED = "certificates.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificates.revoked", _("Certificate revoked")
    CERTIFICATE_REISSUED = "certificates.reissued", _("Certificate reissued")
    CERTIFICATE_RENEWED = "certificates.renewed", _("Certificate renewed")
    CERTIFICATE_RENEWAL_STARTED = "certificates.renewal_started", _("Certificate renewal started")
    CERTIFICATE_ISSUED_BY_HAND = (
        "certificates.issued_by_hand",
        _("Certificate issued by hand for learning assessed elsewhere"),
    )
    EXPIRY_REMINDERS_RUN = "certificates.expiry_reminders_run", _("Expiry reminders sent")
    DASHBOARD_EXPORTED = "insights.exported", _("Dashboard data exported")
    # privacy
    CONSENT_RECORDED = "privacy.consent_recorded", _("Consent decision recorded")
    RIGHTS_REQUEST_RECORDED = "privacy.request_recorded", _("Rights request recorded")
    RIGHTS_REQUEST_UPDATED = "privacy.request_updated", _("Rights request updated")
    EXPORT_GENERATED = "privacy.export_generated", _("Data export generated")
    SUBJECT_ERASED = "privacy.subject_erased", _("Personal data erased")
    PROCESSING_RESTRICTED = "privacy.restricted", _("Processing restricted")
    PROCESSING_UNRESTRICTED = "privacy.unrestricted", _("Restriction lifted")
    OBJECTION_RECORDED = "privacy.objection", _("Objection recorded")
    OBJECTION_WITHDRAWN = "privacy.objection_withdrawn", _("Objection withdrawn")
    EXPORT_REQUESTED = "privacy.export_requested", _("Data export requested")
    EXPORT_DOWNLOADED = "privacy.export_downloaded", _("Data export downloaded")
    EXPORT_DELETED = "privacy.export_deleted", _("Expired data export deleted")
    ERASURE_SCHEDULED = "privacy.erasure_scheduled", _("Account deletion requested")
    ERASURE_CANCELLED = "privacy.erasure_cancelled", _("Account deletion cancelled")
    RIGHTS_REQUEST_IDENTITY_LINK_SENT = (
        "privacy.request_identity_link",
        _("Identity check link sent"),
    )
    RIGHTS_REQUEST_IDENTITY_CONFIRMED = (
        "privacy.request_identity",
        _("Requester's identity confirmed"),
    )
    RIGHTS_REQUEST_PAUSED = "privacy.request_paused", _("Request paused for clarification")
    RIGHTS_REQUEST_RESUMED = "privacy.request_resumed", _("Request resumed")
    RIGHTS_REQUEST_EXTENDED = "privacy.request_extended", _("Request deadline extended")
    RIGHTS_REQUEST_CLOSED = "privacy.request_closed", _("Request closed")
    RECORD_CORRECTED = "privacy.record_corrected", _("Record corrected by staff")
    RETENTION_RUN = "privacy.retention_run", _("Retention run")
    RETENTION_SETTING_CHANGED = "privacy.retention_setting_changed", _("Retention period changed")
    BREACH_RECORDED = "privacy.breach_recorded", _("Breach recorded")
    BREACH_UPDATED = "privacy.breach_updated", _("Breach updated")
    BREACH_SUBJECTS_NOTIFIED = "privacy.breach_notified", _("People told of a breach")
    NOTICE_PUBLISHED = "privacy.notice_published", _("Privacy notice version published")
    PROCESSOR_CHANGED = "privacy.processor_changed", _("Processor register changed")
    # communications and support
    MAILING_SENT = "communications.mailing_sent", _("Mailing sent")
    UNSUBSCRIBED = "communications.unsubscribed", _("Unsubscribed")
    ENQUIRY_RECEIVED = "support.enquiry_received", _("Enquiry received")
    ENQUIRY_REPLIED = "support.enquiry_replied", _("Enquiry answered")
    ENQUIRY_STATUS_CHANGED = "support.status_changed", _("Enquiry status changed")
    MAILING_QUEUED = "communications.mailing_queued", _("Mailing queued for sending")
    ENQUIRY_FOLLOWED_UP = "support.followed_up", _("Enquirer added to the thread")
    ENQUIRY_STARTED_BY_STAFF = "support.started_by_staff", _("Message sent to a learner")
    COMPLAINT_ESCALATED = "support.complaint_escalated", _("Complaint escalated")
    COMPLAINT_RESPONDED = "support.complaint_final_response", _("Final response to a complaint")
    EVALUATION_SUBMITTED = "evaluations.submitted", _("Course evaluation submitted")
    EVALUATION_INVITED = "evaluations.invited", _("Invited to evaluate a course")
    # AI-assisted features and the CPD record
    AI_PROVIDER_CALLED = "ai.provider_called", _("Text sent to an AI provider")
    CPD_ACTIVITY_ADDED = "cpd.activity_added", _("CPD activity added")
    CPD_ACTIVITY_CHANGED = "cpd.activity_changed", _("CPD activity changed")
    CPD_ACTIVITY_DELETED = "cpd.activity_deleted", _("CPD activity deleted")
    CPD_REFLECTION_SAVED = "cpd.reflection_saved", _("CPD reflection saved")
    CPD_REFLECTION_DELETED = "cpd.reflection_deleted", _("CPD reflection deleted")
    # commerce
    ORDER_PLACED = "commerce.order_placed", _("Order placed")
    ORDER_PAID = "commerce.order_paid", _("Order paid")
    ORDER_CANCELLED = "commerce.order_cancelled", _("Order cancelled")
    REFUND_ISSUED = "commerce.refunded", _("Refund and credit note issued")
    ACCESS_ENDED = "commerce.access_ended", _("Paid access to a course ended")
    SEAT_CODE_REDEEMED = "commerce.seat_code_redeemed", _("Enrolment code redeemed")
    ACCOUNTS_EXPORTED = "commerce.accounts_exported", _("Invoices exported for the accountant")
    # organisations
    ORGANISATION_CREATED = "organisations.created", _("Organisation created")
    ORGANISATION_DOMAIN_ADDED = (
        "organisations.domain_added",
        _("Email domain added to an organisation"),
    )
    SEAT_POOL_CREATED = "organisations.pool_created", _("Seats given to an organisation")
    INVITATION_SENT = "organisations.invited", _("Invitation to an organisation sent")
    INVITATIONS_SENT_FROM_CSV = "organisations.invited_csv", _("Invitations sent from a CSV upload")
    INVITATION_WITHDRAWN = "organisations.invitation_withdrawn", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "organisations.invitation_accepted", _("Invitation accepted")
    INVITATIONS_EXPIRED = "organisations.invitations_expired", _("Unanswered invitations expired")
    MEMBER_REMOVED = "organisations.member_removed", _("Removed from an organisation by a manager")
    MEMBERSHIP_LEFT = "organisations.left", _("Left an organisation")
    MEMBERSHIP_SHARING_CHANGED = "organisations.sharing_changed", _("What an employer sees changed")
    REQUIRED_COURSE_ADDED = "organisations.required_added", _("Course required by an organisation")
    REQUIRED_COURSE_CHANGED = "organisations.required_changed", _("Required course changed")
    REQUIRED_COURSE_REMOVED = "organisations.required_removed", _("Course no longer required")
    MEMBER_ENROLLED_BY_STAFF = "organisations.enrolled_by_staff", _("Enrolled on a course by staff")
    DIGEST_CHOICE_CHANGED = "organisations.digest_changed", _("Weekly digest turned on or off")
    MATRIX_EXPORTED = "organisations.matrix_exported", _("Compliance matrix exported")
    # exams
    EXAM_SITTING_CREATED = "exams.sitting_created", _("Exam sitting created")
    EXAM_RESULT_ENTERED = "exams.result_entered", _("Exam marks entered")
    EXAM_RESULT_MODERATED = "exams.result_moderated", _("Exam marks moderated")
    EXAM_RELEASE_SCHEDULED = "exams.release_scheduled", _("Exam results release time set")
    EXAM_RESULTS_RELEASED = "exams.results_released", _("Exam results released")
    # operations
    SITE_RESTORED = "operations.restored", _("Site restored from a backup")
    # sso
    SSO_SIGNED_IN = "sso.signed_in", _("Signed in through an identity provider")
    SSO_ACCOUNT_CREATED = "sso.account_created", _("Account created at a first single sign-on")
    SSO_LINKED = "sso.linked", _("Identity provider linked to the account")
    SSO_REFUSED = "sso.refused", _("Single sign-on refused")
    # lti
    LTI_PLATFORM_SAVED = "lti.platform_saved", _("LTI platform registered or changed")
    LTI_ACCOUNT_CREATED = "lti.account_created", _("Account created at a first LTI launch")
    LTI_ACCOUNT_LINKED = "lti.account_linked", _("LTI platform user linked to the account")
    LTI_LAUNCHED = "lti.launched", _("Course launched from an LTI platform")
    LTI_LAUNCH_REFUSED = "lti.launch_refused", _("LTI launch refused")
    LTI_SCORE_SENT = "lti.score_sent", _("Score sent to an LTI platform's gradebook")
    LTI_SCORE_FAILED = "lti.score_failed", _("Score not accepted by an LTI platform")
    # integrations
    API_TOKEN_CREATED = "integrations.token_created", _("API token created")
    API_TOKEN_REVOKED = "integrations.token_revoked", _("API token revoked")
    API_ENROLLED = "integrations.api_enrolled", _("Enrolled on a course through the API")
    API_INVITED = "integrations.api_invited", _("Invited to a course through the API")
    API_INVITATION_ACCEPTED = (
        "integrations.api_invitation_accepted",
        _("Invitation to a course (made through the API) accepted"),
    )
    API_CERTIFICATE_ISSUED = (
        "integrations.api_certificate_issued",
        _("Certificate issued by hand through the API"),
    )
    WEBHOOK_CREATED = "integrations.webhook_created", _("Webhook subscription created")
    WEBHOOK_SECRET_ROTATED = "integrations.webhook_rotated", _("Webhook signing secret rotated")
    WEBHOOK_DISABLED = "integrations.webhook_disabled", _("Webhook subscription disabled")
    WEBHOOK_ENABLED = "integrations.webhook_enabled", _("Webhook subscription enabled again")
    # packages
    PACKAGE_ADDED = "packages.added", _("Package lesson added")
    PACKAGE_COMPLETED = "packages.completed", _("Package completed")
    PACKAGE_PASSED = "packages.passed", _("Package passed")
    # course import and export (learnward.transfer)
    TRANSFER_EXPORTED = "transfer.exported", _("Course exported to a file")
    TRANSFER_IMPORTED = "transfer.imported", _("Course imported from a file")
    TRANSFER_DUPLICATED = "transfer.duplicated", _("Course duplicated")
    # community (learnward.community)
    COMMUNITY_JOINED = "community.joined", _("Joined the community")
    COMMUNITY_LEFT = "community.left", _("Left the community")
    COMMUNITY_PROFILE_CHANGED = "community.profile_changed", _("Community profile changed")
    COMMUNITY_THREAD_STARTED = "community.thread_started", _("Community thread started")
    COMMUNITY_POST_CREATED = "community.post_created", _("Community reply posted")
    COMMUNITY_POST_EDITED = "community.post_edited", _("Community post edited")
    COMMUNITY_POST_DELETED = "community.post_deleted", _("Community post deleted")
    COMMUNITY_POST_REPORTED = "community.post_reported", _("Community post reported")
    COMMUNITY_POST_HIDDEN = "community.post_hidden", _("Community post hidden by a moderator")
    COMMUNITY_POST_RESTORED = "community.post_restored", _("Community post restored by a moderator")
    COMMUNITY_REPORT_DISMISSED = "community.report_dismissed", _("Community report dismissed")
    COMMUNITY_THREAD_LOCKED = "community.thread_locked", _("Community thread locked")
    COMMUNITY_THREAD_UNLOCKED = "community.thread_unlocked", _("Community thread unlocked")
    COMMUNITY_THREAD_ANSWERED = "community.thread_answered", _("Community question marked answered")
    COMMUNITY_MEMBER_SUSPENDED = "community.member_suspended", _("Suspended from the community")
    COMMUNITY_MEMBER_UNSUSPENDED = "community.member_unsuspended", _("Community suspension lifted")
    COMMUNITY_SPACE_OPENED = "community.space_opened", _("Community space opened for a course")
    # notifications
    NOTIFICATION_PREFERENCES_CHANGED = (
        "notifications.preferences_changed",
        _("Notification settings changed"),
    )
    PUSH_SUBSCRIBED = "notifications.push_subscribed", _("Device subscribed to push notifications")
    PUSH_UNSUBSCRIBED = (
        "notifications.push_unsubscribed",
        _("Device turned off for push notifications"),
    )
    # classes
    SESSION_CREATED = "classes.session_created", _("Session created")
    SESSION_CHANGED = "classes.session_changed", _("Session changed")
    SESSION_CANCELLED = "classes.session_cancelled", _("Session cancelled")
    SESSION_BOOKED = "classes.booked", _("Place booked on a session")
    SESSION_WAITLISTED = "classes.waitlisted", _("Joined a session's waitlist")
    BOOKING_CANCELLED = "classes.booking_cancelled", _("Session booking cancelled")
    BOOKING_PROMOTED = "classes.promoted", _("Given a place from a session's waitlist")
    ATTENDANCE_MARKED = "classes.attendance_marked", _("Attendance marked on the register")
    ATTENDANCE_CHECKED_IN = "classes.checked_in", _("Checked in to a session by QR code")
    SESSION_REMINDERS_RUN = "classes.reminders_run", _("Session reminders sent")
    # studio
    COURSE_CREATED = "studio.course_created", _("Course created in the studio")
    COURSE_PUBLISHED = "studio.course_published", _("Course version published")


def action_label(value: str) -> str:
    """The label of an action key in the active language; an unknown key (from an older release) as is."""
    try:
        return str(Action(value).label)
    except ValueError:
        return value
