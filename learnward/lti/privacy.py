"""Registry declarations for the LTI tool.

- A platform's registration, its deployments and used nonces are not personal.
- The link from an account to the platform's ``sub`` is an account identifier: kept while the
  account exists, erased with it.
- Launch records and the scores queued for a platform's gradebook are learning records: kept
  LEARNWARD_LTI_RECORD_DAYS days (365 by default), erased with the account.
- The platforms themselves receive grades: each registered platform is a recipient of the
  "lti_grade_passback" purpose, listed in the notice by name (``register_recipients``).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.purposes import (
    LawfulBasis,
    Purpose,
    register_purpose,
    register_recipients,
)
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import LtiAccountLink, LtiDeployment, LtiLaunch, LtiNonce, LtiPlatform, LtiScore
from .selectors import platform_recipients

PURPOSE = "lti_grade_passback"

register_purpose(
    Purpose(
        PURPOSE,
        _("Launching courses from your employer's learning platform"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "When you open one of our courses from another learning platform (your employer's "
            "LMS, through LTI), we link your account to the identifier that platform knows you "
            "by, and send it your result when you complete the course or an assessment: the "
            "score, whether it is complete, and when. Nothing else about you is sent."
        ),
        recipients=(_("The learning platform you opened the course from"),),
        legitimate_interest=_(
            "The organisation that gave you the course through its learning "
            "platform keeping its own record of the training it arranged for you."
        ),
        uses_outside_processor=True,
    )
)

# The ORM paths to the person a row is about (not text).
_BY_USER = "user"


def lti_record_retention() -> Retention:
    days = settings.LTI_RECORD_DAYS
    return Retention(
        description=ngettext_lazy(
            "%(days)s day after the launch or score, then deleted",
            "%(days)s days after the launch or score, then deleted",
            "days",
        )
        % {"days": days},
        anchor="launched_at",
        months=max(1, -(-days // 30)),
        days=days,
        action=RetentionAction.DELETE,
    )


def lti_score_retention() -> Retention:
    days = settings.LTI_RECORD_DAYS
    return Retention(
        description=ngettext_lazy(
            "%(days)s day after the score was queued, then deleted",
            "%(days)s days after the score was queued, then deleted",
            "days",
        )
        % {"days": days},
        anchor="created_at",
        months=max(1, -(-days // 30)),
        days=days,
        action=RetentionAction.DELETE,
    )


declare(LtiPlatform, fields={f.name: NOT_PERSONAL for f in LtiPlatform._meta.concrete_fields})
declare(LtiDeployment, fields={f.name: NOT_PERSONAL for f in LtiDeployment._meta.concrete_fields})
declare(LtiNonce, fields={f.name: NOT_PERSONAL for f in LtiNonce._meta.concrete_fields})
declare(
    LtiAccountLink,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "platform": NOT_PERSONAL,
        "subject": "user.unique_id",
        "user": "user.unique_id",
        "via_email": "system.authentication",
        "linked_at": "system.authentication",
        "last_launch_at": "system.authentication",
    },
    purposes=["account", PURPOSE],
    erasure=Erasure.delete(),
    retention_note=_(
        "As long as the account exists: deleted with the account, or when the "
        "platform's registration is removed."
    ),
    source=_("The learning platform you opened a course from: the identifier it knows you by"),
    label=_("Learning platforms you opened courses from"),
)
declare(
    LtiLaunch,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "platform": NOT_PERSONAL,
        "user": "user.unique_id",
        "course": "user.behavior.learning_activity",
        "deployment_id": NOT_PERSONAL,
        "resource_link_id": "user.behavior.learning_activity",
        "lineitem_url": "user.behavior.learning_activity",
        "ags_scopes": NOT_PERSONAL,
        "launched_at": "user.behavior.learning_activity",
    },
    purposes=["learning", PURPOSE],
    erasure=Erasure.delete(),
    retention=lti_record_retention(),
    source=_("The learning platform you opened a course from"),
    label=_("Courses you opened from another learning platform"),
)
declare(
    LtiScore,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "launch": NOT_PERSONAL,
        "user": "user.unique_id",
        "reason": "user.assessment.results",
        "score_given": "user.assessment.results",
        "score_maximum": NOT_PERSONAL,
        "activity_progress": "user.assessment.results",
        "grading_progress": "user.assessment.results",
        "status": "user.assessment.results",
        "attempts": NOT_PERSONAL,
        "last_error": NOT_PERSONAL,
        "created_at": "user.assessment.results",
        "sent_at": "user.assessment.results",
    },
    purposes=[PURPOSE],
    erasure=Erasure.delete(),
    retention=lti_score_retention(),
    source=_("Your course results, sent to the learning platform you opened the course from"),
    label=_("Results sent to another learning platform"),
)

register_recipients(PURPOSE, platform_recipients)
