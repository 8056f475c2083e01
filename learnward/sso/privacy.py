"""Registry declarations for single sign-on. A provider's settings are not personal; the link
from an account to the subject (``sub``) a provider knows the person by is an account
identifier, kept while the account exists and erased with it. The address, name and verified
state the provider asserts go into the account itself (declared by accounts)."""

from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, declare
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import ExternalIdentity, IdentityProvider

# The ORM paths to the person a row is about (not text).
_BY_USER = "user"

declare(
    IdentityProvider,
    fields={f.name: NOT_PERSONAL for f in IdentityProvider._meta.concrete_fields},
)
declare(
    ExternalIdentity,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "provider": NOT_PERSONAL,
        "subject": "user.unique_id",
        "linked_at": "system.authentication",
        "last_sign_in_at": "system.authentication",
    },
    purposes=["account"],
    erasure=Erasure.delete(),
    retention_note=(
        _(
            "As long as the account exists: deleted with the account, or when the organisation's "
            "identity provider is removed."
        )
    ),
    source=(
        _(
            "Your organisation's identity provider (or the social account you chose), when you sign "
            "in with it: the identifier it knows you by, and your verified email address and name"
        )
    ),
    label=_("Sign-in through your organisation or a social account"),
)
