"""Staff roles as groups, each with the least permissions it needs."""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_noop

COURSE_AUTHOR = gettext_noop("Course author")
TUTOR = gettext_noop("Tutor")
ADMINISTRATOR = gettext_noop("Administrator")
DPO = gettext_noop("Data protection officer")

# app_label -> codenames. Apps added later extend these lists.
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    COURSE_AUTHOR: [
        (app, f"{action}_{model}")
        for app, models in (
            ("catalog", ("awardingbody", "course", "module", "lesson")),
            ("assessments", ("assessment", "question", "choice")),
            ("packages", ("contentpackage",)),
        )
        for model in models
        for action in ("add", "change", "view")
    ],
    # Tutors read course content in the admin; learners' progress and results only through
    # the tutor pages, which show only their own courses' learners.
    TUTOR: [
        ("learning", "tutor_learners"),
        ("catalog", "view_course"),
        ("catalog", "view_module"),
        ("catalog", "view_lesson"),
        ("assessments", "view_assessment"),
        ("assessments", "view_question"),
        ("assessments", "view_choice"),
    ],
    ADMINISTRATOR: [
        ("catalog", "view_course"),
        ("catalog", "change_course"),  # assign tutors, publish or unpublish
        ("accounts", "view_user"),
        ("accounts", "change_user"),
        ("accounts", "set_roles"),
        ("audit", "view_auditentry"),
        ("certificates", "view_certificate"),
        ("certificates", "change_certificate"),  # revoke and reissue
        ("privacy_records", "view_processor"),
        ("privacy_records", "view_records_of_processing"),
    ],
    DPO: [
        ("accounts", "view_user"),
        ("audit", "view_auditentry"),
        ("certificates", "view_certificate"),
        # retention, processors, breaches, notice, records of processing (learnward.privacy)
        ("privacy_records", "view_records_of_processing"),
        ("privacy_records", "view_processor"),
        ("privacy_records", "add_processor"),
        ("privacy_records", "change_processor"),
        ("privacy_records", "view_breach"),
        ("privacy_records", "add_breach"),
        ("privacy_records", "change_breach"),
        ("privacy_records", "view_breachnotification"),
        ("privacy_retention", "view_retentionoverride"),
        ("privacy_retention", "add_retentionoverride"),
        ("privacy_retention", "change_retentionoverride"),
        ("privacy_retention", "delete_retentionoverride"),
        ("privacy_retention", "view_retentionrun"),
        ("privacy_records", "view_noticeversion"),
        # rights requests desk, restriction, objection, exports, erasure (learnward.privacy rights)
        ("privacy_rights", "manage_rightsrequest"),
        ("privacy_rights", "view_rightsrequest"),
        ("privacy_rights", "view_requestpause"),
        ("privacy_consent", "view_processingrestriction"),
        ("privacy_consent", "view_objection"),
        ("privacy_rights", "view_subjectexport"),
        ("privacy_rights", "view_accountdeletion"),
        ("accounts", "change_user"),  # rectification through the admin, audited
    ],
}


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and set exactly their permissions (idempotent)."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [
            Permission.objects.get(content_type__app_label=app, codename=code)
            for app, code in perms
        ]
        group.permissions.set(wanted)
        groups[name] = group
    return groups


# Consent records, the cookie register, mailings, the support desk and evaluations.
ROLE_PERMISSIONS[ADMINISTRATOR] += [
    ("privacy_consent", "view_consentrecord"),
    *(("privacy_consent", f"{a}_cookiedefinition") for a in ("add", "change", "delete", "view")),
    *(("communications", f"{a}_mailing") for a in ("add", "change", "delete", "view")),
    ("communications", "view_mailingdelivery"),
    ("support", "handle_enquiry"),
    ("support", "view_enquiry"),
    ("evaluations", "view_evaluation_results"),
]
ROLE_PERMISSIONS[DPO] += [
    ("privacy_consent", "view_consentrecord"),
    ("privacy_consent", "view_cookiedefinition"),
    ("communications", "view_mailing"),
    ("communications", "view_mailingdelivery"),
    # Complaints about personal data reach the DPO through the desk.
    ("support", "handle_enquiry"),
    ("support", "view_enquiry"),
]
ROLE_PERMISSIONS[COURSE_AUTHOR] += [("evaluations", "view_evaluation_results")]
# The authoring studio (learnward.studio, /studio/): authors write drafts and publish versions.
ROLE_PERMISSIONS[COURSE_AUTHOR] += [("studio", "author_courses"), ("studio", "publish_courses")]
# Question banks, assessments and quizzes in the studio (/studio/courses/<slug>/bank/ and
# .../assessment/); tutors mark essays of the courses they tutor (/tutor/marking/).
ROLE_PERMISSIONS[COURSE_AUTHOR] += [("assessments", "author_assessments")]
ROLE_PERMISSIONS[TUTOR] += [("assessments", "mark_essays")]

# Course media libraries (learnward.media, /studio/courses/<slug>/media/): authors upload, describe,
# replace and delete a course's images, videos, files and embedded videos.
ROLE_PERMISSIONS[COURSE_AUTHOR] += [
    ("catalog", f"{a}_mediaitem") for a in ("add", "change", "delete", "view")
]

# Selling courses (learnward.commerce): the finance role works orders, invoices, refunds and the
# accountant's export on the sales pages (/staff/sales/), and keeps products, coupons, VAT rates
# and the store settings in the admin. Administrators may look at orders and invoices.
FINANCE = gettext_noop("Finance")
ROLE_PERMISSIONS[FINANCE] = [
    ("commerce", "view_order"),
    ("commerce", "manage_orders"),
    ("commerce", "export_accounts"),
    ("commerce", "view_invoice"),
    ("commerce", "view_creditnote"),
    ("commerce", "view_product"),
    ("commerce", "add_product"),
    ("commerce", "change_product"),
    ("commerce", "view_coupon"),
    ("commerce", "add_coupon"),
    ("commerce", "change_coupon"),
    ("commerce", "view_taxrate"),
    ("commerce", "change_taxrate"),
    ("commerce", "view_storesettings"),
    ("commerce", "change_storesettings"),
]
ROLE_PERMISSIONS[ADMINISTRATOR] += [("commerce", "view_order"), ("commerce", "view_invoice")]

# Organisations (learnward.organisations): administrators set up employers' organisations, their
# email domains and seat pools, invite their first managers and enrol a member directly
# (/staff/organisations/). Managers themselves are learners with a membership, not staff.
ROLE_PERMISSIONS[ADMINISTRATOR] += [("organisations", "manage_organisations")]

# LTI 1.3 (learnward.lti): administrators register employers' learning platforms (/staff/lti/).
ROLE_PERMISSIONS[ADMINISTRATOR] += [("lti", "manage_platforms")]
# Integrations (learnward.integrations): administrators create and revoke API tokens and manage
# webhook subscriptions (/staff/integrations/); they are told when a failing webhook is disabled.
ROLE_PERMISSIONS[ADMINISTRATOR] += [("integrations", "manage_integrations")]

# Issuing certificates by hand for learning assessed outside the platform (/staff/certificates/).
ROLE_PERMISSIONS[ADMINISTRATOR] += [("certificates", "issue_by_hand")]

# Exams held by teachers (learnward.exams, /exams/teach/): administrators create sittings and see
# them all; a teacher sees only the sittings they teach or moderate, by being named on them.
ROLE_PERMISSIONS[ADMINISTRATOR] += [("exams", "manage_exams")]
# Branding (learnward.core): the logo, colours, legal name and certificate signatory.
ROLE_PERMISSIONS[ADMINISTRATOR] += [("core", "view_branding"), ("core", "change_branding")]
# Classes and sessions (learnward.classes): teachers (often freelance) run only the sessions they
# teach: the register, QR check-in and the waitlist, by name. Nothing else about learners.
# Administrators set up sessions, book people and set a course's attendance rule.
TEACHER = gettext_noop("Teacher")
ROLE_PERMISSIONS[TEACHER] = [("classes", "teach_sessions")]
ROLE_PERMISSIONS[ADMINISTRATOR] += [
    ("classes", "manage_sessions"),
    *(("classes", f"{a}_attendancerule") for a in ("add", "change", "delete", "view")),
]
# The community (learnward.community): moderators hide and restore posts, lock threads and
# suspend members in every space, from the moderation queue (/community/moderation/). Course
# tutors moderate their own courses' spaces without this role.
MODERATOR = gettext_noop("Moderator")
ROLE_PERMISSIONS[MODERATOR] = [("community", "moderate_community")]

# Course import and export (learnward.transfer): authors export a course to one file, import one
# as a new unpublished course (/studio/import/), and duplicate a course.
ROLE_PERMISSIONS[COURSE_AUTHOR] += [("transfer", "transfer_courses")]
