from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import ContentPackage, PackageAttempt, PackageStatement

LEARNING = "user.behavior.learning_activity"

# A package is course content; only the link to the author who uploaded it is personal.
# The ORM paths to the person a row is about (not text).
_BY_UPLOADED_BY = "uploaded_by"
_BY_USER = "user"
_BY_ATTEMPT_USER = "attempt__user"

declare(
    ContentPackage,
    fields={
        **{f.name: NOT_PERSONAL for f in ContentPackage._meta.concrete_fields},
        "uploaded_by": "user.unique_id",
    },
    subject=_BY_UPLOADED_BY,
    purposes=["account"],
    erasure=Erasure.anonymise(
        "uploaded_by", reason="The package is course content; only the link to its uploader goes."
    ),
    retention_note=_("Kept while the lesson exists: the package is course content."),
    source=_("Staff, when they upload a package"),
    label=_("Packages you uploaded"),
)


declare(
    PackageAttempt,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "package": LEARNING,
        "user": "user.unique_id",
        "number": LEARNING,
        "cycle": LEARNING,
        "started_at": LEARNING,
        "updated_at": LEARNING,
        "location": LEARNING,
        "suspend_data": LEARNING,
        "completion_status": LEARNING,
        "success_status": LEARNING,
        "score_raw": "user.assessment.results",
        "score_min": "user.assessment.results",
        "score_max": "user.assessment.results",
        "score_scaled": "user.assessment.results",
        "total_time": LEARNING,
        "cmi": LEARNING,
        "completed_at": LEARNING,
        "passed_at": "user.assessment.results",
        "registration": LEARNING,
        "auth_token_hash": "system.authentication",
        "auth_token_fetched_at": "system.authentication",
    },
    purposes=["learning", "assessment"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "24 months after the attempt was last used; your lesson and course "
            "completions are kept separately"
        ),
        anchor="updated_at",
        months=24,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_PACKAGE_ATTEMPT_MONTHS",
    ),
    source=_("The SCORM or cmi5 content you study, as you go"),
    label=_("Your progress in SCORM and cmi5 lessons"),
)

declare(
    PackageStatement,
    subject=_BY_ATTEMPT_USER,
    fields={
        "id": NOT_PERSONAL,
        "attempt": LEARNING,
        "statement_id": LEARNING,
        "verb": LEARNING,
        "statement": LEARNING,
        "stored_at": LEARNING,
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("24 months after the statement was stored"),
        anchor="stored_at",
        months=24,
        minimum_months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_PACKAGE_STATEMENT_MONTHS",
    ),
    source=_("The cmi5 content you study, as you go"),
    label=_("What cmi5 lessons reported about your study (xAPI statements)"),
)
