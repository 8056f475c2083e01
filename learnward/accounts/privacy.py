from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import GuardianConsentRequest, User

declare(
    User,
    subject="pk",
    fields={
        "id": "user.unique_id",
        "password": "user.authorization.credentials",
        "last_login": "system.authentication",
        "is_superuser": "user.account.role",
        "email": "user.contact.email",
        "display_name": "user.name",
        "date_of_birth": "user.demographic.date_of_birth",
        "status": "user.account.settings",
        "email_verified_at": "user.account.settings",
        "pending_email": "user.contact.email",
        "is_staff": "user.account.role",
        "date_joined": "user.account.settings",
        "deactivated_at": "user.account.settings",
        "closed_at": "user.account.settings",
        "language": "user.preference.language",
        "groups": "user.account.role",
        "user_permissions": "user.account.role",
    },
    purposes=["account"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_(
            "For the life of the account, then 12 months after it is deactivated or closed"
        ),
        anchor="deactivated_at",
        months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_ACCOUNT_MONTHS",
        # Only accounts that are still deactivated or closed.
        filter={"status__in": ["deactivated", "closed"]},
    ),
    source=_("You, when you sign up and edit your profile"),
    label=_("Your profile"),
)

declare(
    User.groups.through,
    subject="user",
    fields={"id": NOT_PERSONAL, "user": "user.unique_id", "group": "user.account.role"},
    purposes=["account"],
    erasure=Erasure.delete(),
    retention_note=_("While the staff role is held."),
    source=_("An administrator, when they give you a staff role"),
    label=_("Staff roles"),
)
declare(
    User.user_permissions.through,
    subject="user",
    fields={"id": NOT_PERSONAL, "user": "user.unique_id", "permission": "user.account.role"},
    purposes=["account"],
    erasure=Erasure.delete(),
    retention_note=_("While the permission is held."),
    source=_("An administrator"),
    label=_("Individual permissions"),
)

declare(
    GuardianConsentRequest,
    subject="user",
    # The guardian is a data subject too: a request by their address finds these rows.
    subject_email="guardian_email",
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "guardian_email": "user.guardian.contact",
        "link_key": "system.authentication",
        "status": "user.consent",
        "created_at": "user.consent",
        "expires_at": "user.consent",
        "last_sent_at": "user.consent",
        "decided_at": "user.consent",
    },
    purposes=["guardian_consent"],
    erasure=Erasure.delete(),
    retention_note=format_lazy(
        _(
            "Until the guardian answers: a refusal, or no answer within {days} days, deletes the "
            "waiting account and this request with it automatically. After the guardian agrees, "
            "kept with the account as the record of whom we asked, and deleted with it."
        ),
        days=settings.GUARDIAN_CONSENT_DAYS,
    ),
    source=_("The learner, when they sign up and give their parent's or guardian's email address"),
    label=_("Your parent's or guardian's consent"),
)
