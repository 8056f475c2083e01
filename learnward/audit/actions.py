"""The one enumerated list of audited actions. Add new actions here, grouped by app."""

from django.db import models


class Action(models.TextChoices):
    # accounts
    USER_SIGNED_UP = "user.signed_up", "Signed up"
    USER_EMAIL_VERIFIED = "user.email_verified", "Email verified"
    USER_VERIFICATION_SENT = "user.verification_sent", "Verification email sent"
    USER_LOGIN_LOCKED_OUT = "user.login_locked_out", "Locked out after failed sign-ins"
    USER_PASSWORD_CHECKS_PAUSED = (
        "user.password_checks_paused",
        "Password checks paused after wrong passwords",
    )
    USER_PASSWORD_CHANGED = "user.password_changed", "Password changed"
    USER_PASSWORD_RESET = "user.password_reset", "Password reset by email"
    USER_PROFILE_CHANGED = "user.profile_changed", "Profile changed"
    USER_EMAIL_CHANGE_REQUESTED = "user.email_change_requested", "Email change requested"
    USER_EMAIL_CHANGED = "user.email_changed", "Email changed"
    USER_ROLE_CHANGED = "user.role_changed", "Staff roles changed"
    USER_TWO_FACTOR_ENABLED = "user.two_factor_enabled", "Two-factor sign-in turned on"
    USER_TWO_FACTOR_DISABLED = "user.two_factor_disabled", "Two-factor sign-in turned off"
    USER_STATUS_CHANGED = "user.status_changed", "Account status changed"
    GUARDIAN_REQUEST_SENT = "user.guardian_request_sent", "Guardian's consent asked again"
    GUARDIAN_CONSENTED = "user.guardian_consented", "Guardian agreed; account active"
    GUARDIAN_REFUSED = "user.guardian_refused", "Guardian refused; waiting account erased"
    GUARDIAN_REQUEST_EXPIRED = (
        "user.guardian_expired",
        "No answer from the guardian; account erased",
    )
    # learning
    ENROLMENT_CREATED = "learning.enrolled", "Enrolled in a course"
    ENROLMENT_LEFT = "learning.left", "Left a course"
    COURSE_COMPLETED = "learning.completed", "Completed a course"
    REGISTRATION_SUBMITTED = "learning.registration_submitted", "Awarding-body details given"
    ATTEMPT_STARTED = "assessments.attempt_started", "Assessment attempt started"
    ATTEMPT_SUBMITTED = "assessments.attempt_submitted", "Assessment attempt submitted"
    ATTEMPT_TIMED_OUT = (
        "assessments.attempt_timed_out",
        "Assessment attempt closed at its time limit",
    )
    ESSAY_MARKED = "assessments.essay_marked", "Essay answer marked by a tutor"
    ESSAY_MODERATED = "assessments.essay_moderated", "Essay mark moderated by a second marker"
    QUESTION_BANK_CHANGED = "assessments.bank_changed", "Question bank changed"
    # certificates
    CERTIFICATE_ISSUED = "certificates.issued", "Certificate issued"
    CERTIFICATE_REVOKED = "certificates.revoked", "Certificate revoked"
    CERTIFICATE_REISSUED = "certificates.reissued", "Certificate reissued"
    CERTIFICATE_RENEWED = "certificates.renewed", "Certificate renewed"
    CERTIFICATE_RENEWAL_STARTED = "certificates.renewal_started", "Certificate renewal started"
    CERTIFICATE_ISSUED_BY_HAND = (
        "certificates.issued_by_hand",
        "Certificate issued by hand for learning assessed elsewhere",
    )
    EXPIRY_REMINDERS_RUN = "certificates.expiry_reminders_run", "Expiry reminders sent"
    DASHBOARD_EXPORTED = "insights.exported", "Dashboard data exported"
    # privacy
    CONSENT_RECORDED = "privacy.consent_recorded", "Consent decision recorded"
    RIGHTS_REQUEST_RECORDED = "privacy.request_recorded", "Rights request recorded"
    RIGHTS_REQUEST_UPDATED = "privacy.request_updated", "Rights request updated"
    EXPORT_GENERATED = "privacy.export_generated", "Data export generated"
    SUBJECT_ERASED = "privacy.subject_erased", "Personal data erased"
    PROCESSING_RESTRICTED = "privacy.restricted", "Processing restricted"
    PROCESSING_UNRESTRICTED = "privacy.unrestricted", "Restriction lifted"
    OBJECTION_RECORDED = "privacy.objection", "Objection recorded"
    OBJECTION_WITHDRAWN = "privacy.objection_withdrawn", "Objection withdrawn"
    EXPORT_REQUESTED = "privacy.export_requested", "Data export requested"
    EXPORT_DOWNLOADED = "privacy.export_downloaded", "Data export downloaded"
    EXPORT_DELETED = "privacy.export_deleted", "Expired data export deleted"
    ERASURE_SCHEDULED = "privacy.erasure_scheduled", "Account deletion requested"
    ERASURE_CANCELLED = "privacy.erasure_cancelled", "Account deletion cancelled"
    RIGHTS_REQUEST_IDENTITY_LINK_SENT = "privacy.request_identity_link", "Identity check link sent"
    RIGHTS_REQUEST_IDENTITY_CONFIRMED = "privacy.request_identity", "Requester's identity confirmed"
    RIGHTS_REQUEST_PAUSED = "privacy.request_paused", "Request paused for clarification"
    RIGHTS_REQUEST_RESUMED = "privacy.request_resumed", "Request resumed"
    RIGHTS_REQUEST_EXTENDED = "privacy.request_extended", "Request deadline extended"
    RIGHTS_REQUEST_CLOSED = "privacy.request_closed", "Request closed"
    RECORD_CORRECTED = "privacy.record_corrected", "Record corrected by staff"
    RETENTION_RUN = "privacy.retention_run", "Retention run"
    RETENTION_SETTING_CHANGED = "privacy.retention_setting_changed", "Retention period changed"
    BREACH_RECORDED = "privacy.breach_recorded", "Breach recorded"
    BREACH_UPDATED = "privacy.breach_updated", "Breach updated"
    BREACH_SUBJECTS_NOTIFIED = "privacy.breach_notified", "People told of a breach"
    NOTICE_PUBLISHED = "privacy.notice_published", "Privacy notice version published"
    PROCESSOR_CHANGED = "privacy.processor_changed", "Processor register changed"
    # communications and support
    MAILING_SENT = "communications.mailing_sent", "Mailing sent"
    UNSUBSCRIBED = "communications.unsubscribed", "Unsubscribed"
    ENQUIRY_RECEIVED = "support.enquiry_received", "Enquiry received"
    ENQUIRY_REPLIED = "support.enquiry_replied", "Enquiry answered"
    ENQUIRY_STATUS_CHANGED = "support.status_changed", "Enquiry status changed"
    MAILING_QUEUED = "communications.mailing_queued", "Mailing queued for sending"
    ENQUIRY_FOLLOWED_UP = "support.followed_up", "Enquirer added to the thread"
    ENQUIRY_STARTED_BY_STAFF = "support.started_by_staff", "Message sent to a learner"
    COMPLAINT_ESCALATED = "support.complaint_escalated", "Complaint escalated"
    COMPLAINT_RESPONDED = "support.complaint_final_response", "Final response to a complaint"
    EVALUATION_SUBMITTED = "evaluations.submitted", "Course evaluation submitted"
    EVALUATION_INVITED = "evaluations.invited", "Invited to evaluate a course"
    # AI-assisted features and the CPD record
    AI_PROVIDER_CALLED = "ai.provider_called", "Text sent to an AI provider"
    CPD_ACTIVITY_ADDED = "cpd.activity_added", "CPD activity added"
    CPD_ACTIVITY_CHANGED = "cpd.activity_changed", "CPD activity changed"
    CPD_ACTIVITY_DELETED = "cpd.activity_deleted", "CPD activity deleted"
    CPD_REFLECTION_SAVED = "cpd.reflection_saved", "CPD reflection saved"
    CPD_REFLECTION_DELETED = "cpd.reflection_deleted", "CPD reflection deleted"
    # commerce
    ORDER_PLACED = "commerce.order_placed", "Order placed"
    ORDER_PAID = "commerce.order_paid", "Order paid"
    ORDER_CANCELLED = "commerce.order_cancelled", "Order cancelled"
    REFUND_ISSUED = "commerce.refunded", "Refund and credit note issued"
    ACCESS_ENDED = "commerce.access_ended", "Paid access to a course ended"
    SEAT_CODE_REDEEMED = "commerce.seat_code_redeemed", "Enrolment code redeemed"
    ACCOUNTS_EXPORTED = "commerce.accounts_exported", "Invoices exported for the accountant"
    # organisations
    ORGANISATION_CREATED = "organisations.created", "Organisation created"
    ORGANISATION_DOMAIN_ADDED = (
        "organisations.domain_added",
        "Email domain added to an organisation",
    )
    SEAT_POOL_CREATED = "organisations.pool_created", "Seats given to an organisation"
    INVITATION_SENT = "organisations.invited", "Invitation to an organisation sent"
    INVITATIONS_SENT_FROM_CSV = "organisations.invited_csv", "Invitations sent from a CSV upload"
    INVITATION_WITHDRAWN = "organisations.invitation_withdrawn", "Invitation withdrawn"
    INVITATION_ACCEPTED = "organisations.invitation_accepted", "Invitation accepted"
    INVITATIONS_EXPIRED = "organisations.invitations_expired", "Unanswered invitations expired"
    MEMBER_REMOVED = "organisations.member_removed", "Removed from an organisation by a manager"
    MEMBERSHIP_LEFT = "organisations.left", "Left an organisation"
    MEMBERSHIP_SHARING_CHANGED = "organisations.sharing_changed", "What an employer sees changed"
    REQUIRED_COURSE_ADDED = "organisations.required_added", "Course required by an organisation"
    REQUIRED_COURSE_CHANGED = "organisations.required_changed", "Required course changed"
    REQUIRED_COURSE_REMOVED = "organisations.required_removed", "Course no longer required"
    MEMBER_ENROLLED_BY_STAFF = "organisations.enrolled_by_staff", "Enrolled on a course by staff"
    DIGEST_CHOICE_CHANGED = "organisations.digest_changed", "Weekly digest turned on or off"
    MATRIX_EXPORTED = "organisations.matrix_exported", "Compliance matrix exported"
    # exams
    EXAM_SITTING_CREATED = "exams.sitting_created", "Exam sitting created"
    EXAM_RESULT_ENTERED = "exams.result_entered", "Exam marks entered"
    EXAM_RESULT_MODERATED = "exams.result_moderated", "Exam marks moderated"
    EXAM_RELEASE_SCHEDULED = "exams.release_scheduled", "Exam results release time set"
    EXAM_RESULTS_RELEASED = "exams.results_released", "Exam results released"
    # operations
    SITE_RESTORED = "operations.restored", "Site restored from a backup"
    # sso
    SSO_SIGNED_IN = "sso.signed_in", "Signed in through an identity provider"
    SSO_ACCOUNT_CREATED = "sso.account_created", "Account created at a first single sign-on"
    SSO_LINKED = "sso.linked", "Identity provider linked to the account"
    SSO_REFUSED = "sso.refused", "Single sign-on refused"
    # lti
    LTI_PLATFORM_SAVED = "lti.platform_saved", "LTI platform registered or changed"
    LTI_ACCOUNT_CREATED = "lti.account_created", "Account created at a first LTI launch"
    LTI_ACCOUNT_LINKED = "lti.account_linked", "LTI platform user linked to the account"
    LTI_LAUNCHED = "lti.launched", "Course launched from an LTI platform"
    LTI_LAUNCH_REFUSED = "lti.launch_refused", "LTI launch refused"
    LTI_SCORE_SENT = "lti.score_sent", "Score sent to an LTI platform's gradebook"
    LTI_SCORE_FAILED = "lti.score_failed", "Score not accepted by an LTI platform"
    # integrations
    API_TOKEN_CREATED = "integrations.token_created", "API token created"
    API_TOKEN_REVOKED = "integrations.token_revoked", "API token revoked"
    API_ENROLLED = "integrations.api_enrolled", "Enrolled on a course through the API"
    API_INVITED = "integrations.api_invited", "Invited to a course through the API"
    API_INVITATION_ACCEPTED = (
        "integrations.api_invitation_accepted",
        "Invitation to a course (made through the API) accepted",
    )
    API_CERTIFICATE_ISSUED = (
        "integrations.api_certificate_issued",
        "Certificate issued by hand through the API",
    )
    WEBHOOK_CREATED = "integrations.webhook_created", "Webhook subscription created"
    WEBHOOK_SECRET_ROTATED = "integrations.webhook_rotated", "Webhook signing secret rotated"
    WEBHOOK_DISABLED = "integrations.webhook_disabled", "Webhook subscription disabled"
    WEBHOOK_ENABLED = "integrations.webhook_enabled", "Webhook subscription enabled again"
    # packages
    PACKAGE_ADDED = "packages.added", "Package lesson added"
    PACKAGE_COMPLETED = "packages.completed", "Package completed"
    PACKAGE_PASSED = "packages.passed", "Package passed"
    # course import and export (learnward.transfer)
    TRANSFER_EXPORTED = "transfer.exported", "Course exported to a file"
    TRANSFER_IMPORTED = "transfer.imported", "Course imported from a file"
    TRANSFER_DUPLICATED = "transfer.duplicated", "Course duplicated"
    # community (learnward.community)
    COMMUNITY_JOINED = "community.joined", "Joined the community"
    COMMUNITY_LEFT = "community.left", "Left the community"
    COMMUNITY_PROFILE_CHANGED = "community.profile_changed", "Community profile changed"
    COMMUNITY_THREAD_STARTED = "community.thread_started", "Community thread started"
    COMMUNITY_POST_CREATED = "community.post_created", "Community reply posted"
    COMMUNITY_POST_EDITED = "community.post_edited", "Community post edited"
    COMMUNITY_POST_DELETED = "community.post_deleted", "Community post deleted"
    COMMUNITY_POST_REPORTED = "community.post_reported", "Community post reported"
    COMMUNITY_POST_HIDDEN = "community.post_hidden", "Community post hidden by a moderator"
    COMMUNITY_POST_RESTORED = "community.post_restored", "Community post restored by a moderator"
    COMMUNITY_REPORT_DISMISSED = "community.report_dismissed", "Community report dismissed"
    COMMUNITY_THREAD_LOCKED = "community.thread_locked", "Community thread locked"
    COMMUNITY_THREAD_UNLOCKED = "community.thread_unlocked", "Community thread unlocked"
    COMMUNITY_THREAD_ANSWERED = "community.thread_answered", "Community question marked answered"
    COMMUNITY_MEMBER_SUSPENDED = "community.member_suspended", "Suspended from the community"
    COMMUNITY_MEMBER_UNSUSPENDED = "community.member_unsuspended", "Community suspension lifted"
    COMMUNITY_SPACE_OPENED = "community.space_opened", "Community space opened for a course"
    # notifications
    NOTIFICATION_PREFERENCES_CHANGED = (
        "notifications.preferences_changed",
        "Notification settings changed",
    )
    PUSH_SUBSCRIBED = "notifications.push_subscribed", "Device subscribed to push notifications"
    PUSH_UNSUBSCRIBED = (
        "notifications.push_unsubscribed",
        "Device turned off for push notifications",
    )
    # classes
    SESSION_CREATED = "classes.session_created", "Session created"
    SESSION_CHANGED = "classes.session_changed", "Session changed"
    SESSION_CANCELLED = "classes.session_cancelled", "Session cancelled"
    SESSION_BOOKED = "classes.booked", "Place booked on a session"
    SESSION_WAITLISTED = "classes.waitlisted", "Joined a session's waitlist"
    BOOKING_CANCELLED = "classes.booking_cancelled", "Session booking cancelled"
    BOOKING_PROMOTED = "classes.promoted", "Given a place from a session's waitlist"
    ATTENDANCE_MARKED = "classes.attendance_marked", "Attendance marked on the register"
    ATTENDANCE_CHECKED_IN = "classes.checked_in", "Checked in to a session by QR code"
    SESSION_REMINDERS_RUN = "classes.reminders_run", "Session reminders sent"
    # studio
    COURSE_CREATED = "studio.course_created", "Course created in the studio"
    COURSE_PUBLISHED = "studio.course_published", "Course version published"


def action_label(value: str) -> str:
    """The plain-English label of an action key; an unknown key (from an older release) as is."""
    try:
        return Action(value).label
    except ValueError:
        return value
