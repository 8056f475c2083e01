"""Registry declarations for integrations.

- API tokens are security records about the staff member who made or revoked them (who, when,
  what it may do, when it was last used); the token's prefix and hash are the connected
  system's credential, not about a person, and the token itself is never stored. Erasure unlinks
  the staff member; a token is deleted ``LEARNWARD_RETENTION_API_TOKEN_MONTHS`` after it expires.
- Invitations made through the API hold the invited email address; deleted with the learner,
  and 6 months after they expire.
- Webhooks send events about learners to "systems you connect": the purpose
  ``connected_systems`` names each active subscription as a recipient (from the database, through
  ``register_recipients``), so the notice lists them. The delivery log (one row per message, with
  its ids and public certificate data, never a response body) is deleted with the learner and
  ``LEARNWARD_RETENTION_WEBHOOK_DELIVERY_MONTHS`` after it was created.
- xAPI statements go to the provider's learning record store, a processor: the purpose
  ``xapi_statements`` reaches the notice through the processor register (sending is off until an
  active processor serves it). Queued statements are deleted with the learner and
  ``LEARNWARD_RETENTION_XAPI_STATEMENT_MONTHS`` after they were queued.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.purposes import (
    LawfulBasis,
    Purpose,
    register_purpose,
    register_recipients,
)
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import ApiInvitation, ApiToken, WebhookDelivery, WebhookSubscription, XapiStatement

CONNECTED = "connected_systems"
XAPI = "xapi_statements"
ACTIVITY = "user.behavior.learning_activity"
# The ORM paths to the person a row is about (not text).
_BY_CREATOR, _BY_ACCEPTER, _BY_USER = "created_by", "accepted_by", "user"

register_purpose(
    Purpose(
        CONNECTED,
        _("Telling the systems we connect about your training"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "When you enrol, complete a course, or a certificate of yours is issued, revoked or "
            "renewed, we tell the systems we connect (for example our records or customer "
            "system) by a signed message: ids, the course, and the public details of the "
            "certificate (its code, verification link, course title and dates); your email "
            "address only where a connected system needs it to find your record. Systems we "
            "connect can also read completions and certificates through our API with a token "
            "we issue."
        ),
        legitimate_interest=_(
            "Keeping our own records and systems up to date with the training "
            "we deliver, without retyping it."
        ),
        uses_outside_processor=True,
    )
)
register_purpose(
    Purpose(
        XAPI,
        _("Keeping learning records in our learning record store"),
        LawfulBasis.LEGITIMATE_INTERESTS,
        _(
            "When our learning record store is switched on, we send it statements of what you "
            "do in a course: that you started it, completed it, passed or failed its assessment "
            "and earned its certificate. You are named there by a random-looking identifier, "
            "never by your name or email address."
        ),
        legitimate_interest=_(
            "Keeping a standard (xAPI) record of the training we deliver, in "
            "the learning record store we use."
        ),
        uses_outside_processor=True,
    )
)


def connected_system_recipients() -> list[str]:
    """Each active webhook subscription, by name and host (the notice's recipients)."""
    return [
        gettext("%(name)s (%(host)s), a system we connect")
        % {"name": name, "host": urlsplit(url).hostname}
        for name, url in WebhookSubscription.objects.filter(active=True).values_list("name", "url")
    ]


register_recipients(CONNECTED, connected_system_recipients)

declare(
    ApiToken,
    subject=_BY_CREATOR,
    fields={
        "id": NOT_PERSONAL,
        "name": NOT_PERSONAL,
        # The token's own parts: a credential of the connected system, not about a person.
        "prefix": NOT_PERSONAL,
        "secret_hash": NOT_PERSONAL,
        "scopes": "system.authentication",
        "created_by": "user.unique_id",
        "created_at": "system.authentication",
        "expires_at": "system.authentication",
        "revoked_at": "system.authentication",
        "revoked_by": "user.unique_id",
        "last_used_at": "system.authentication",
    },
    purposes=["security"],
    erasure=Erasure.anonymise(
        "created_by",
        "revoked_by",
        reason=_("A token belongs to the provider; only the link to the staff member goes."),
    ),
    retention=Retention(
        description=ngettext_lazy(
            "%(months)s month after it expires", "%(months)s months after it expires", "months"
        )
        % {"months": settings.RETENTION_API_TOKEN_MONTHS},
        anchor="expires_at",
        months=settings.RETENTION_API_TOKEN_MONTHS,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_API_TOKEN_MONTHS",
        minimum_months=1,
    ),
    source=_("You, when you create or revoke an API token as staff"),
    label=_("API tokens you created"),
)
declare(
    ApiInvitation,
    subject=_BY_ACCEPTER,
    subject_email="email",
    fields={
        "id": NOT_PERSONAL,
        "email": "user.contact.email",
        "course": ACTIVITY,
        "token_hash": "system.authentication",
        "api_token": NOT_PERSONAL,
        "created_at": ACTIVITY,
        "expires_at": ACTIVITY,
        "accepted_at": ACTIVITY,
        "accepted_by": "user.unique_id",
    },
    purposes=["learning"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("6 months after it expires"),
        anchor="expires_at",
        months=6,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_API_INVITATION_MONTHS",
        minimum_months=1,
    ),
    source=_("A system we connect, when it asked us to enrol you"),
    label=_("Invitations to a course"),
)
declare(
    WebhookSubscription,
    subject=_BY_CREATOR,
    fields={
        **{f.name: NOT_PERSONAL for f in WebhookSubscription._meta.concrete_fields},
        "created_by": "user.unique_id",
    },
    purposes=["security"],
    erasure=Erasure.anonymise(
        "created_by",
        reason=_("A subscription belongs to the provider; only the link goes."),
    ),
    retention_note=_("Kept while the subscription exists."),
    source=_("You, when you add a webhook as staff"),
    label=_("Webhooks you added"),
)
declare(
    WebhookDelivery,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "subscription": ACTIVITY,
        "user": "user.unique_id",
        "message_id": NOT_PERSONAL,
        "event": ACTIVITY,
        "payload": ACTIVITY,
        "status": NOT_PERSONAL,
        "attempts": NOT_PERSONAL,
        "last_status_code": NOT_PERSONAL,
        "last_error": NOT_PERSONAL,
        "created_at": ACTIVITY,
        "next_attempt_at": NOT_PERSONAL,
        "last_attempt_at": NOT_PERSONAL,
        "delivered_at": ACTIVITY,
    },
    purposes=[CONNECTED],
    erasure=Erasure.delete(),
    retention=Retention(
        description=ngettext_lazy(
            "%(months)s month after the message", "%(months)s months after the message", "months"
        )
        % {"months": settings.RETENTION_WEBHOOK_DELIVERY_MONTHS},
        anchor="created_at",
        months=settings.RETENTION_WEBHOOK_DELIVERY_MONTHS,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_WEBHOOK_DELIVERY_MONTHS",
        minimum_months=1,
    ),
    source=_("Us, when we tell a system we connect about your training"),
    label=_("Messages to systems we connect"),
)
declare(
    XapiStatement,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "statement_id": NOT_PERSONAL,
        "dedupe_key": ACTIVITY,
        "user": "user.unique_id",
        "verb": ACTIVITY,
        "statement": ACTIVITY,
        "status": NOT_PERSONAL,
        "attempts": NOT_PERSONAL,
        "last_status_code": NOT_PERSONAL,
        "last_error": NOT_PERSONAL,
        "created_at": ACTIVITY,
        "next_attempt_at": NOT_PERSONAL,
        "sent_at": ACTIVITY,
    },
    purposes=[XAPI],
    erasure=Erasure.delete(),
    retention=Retention(
        description=ngettext_lazy(
            "%(months)s month after it was queued",
            "%(months)s months after it was queued",
            "months",
        )
        % {"months": settings.RETENTION_XAPI_STATEMENT_MONTHS},
        anchor="created_at",
        months=settings.RETENTION_XAPI_STATEMENT_MONTHS,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_XAPI_STATEMENT_MONTHS",
        minimum_months=1,
    ),
    source=_("Us, when you study a course and our learning record store is switched on"),
    label=_("Learning records for our learning record store"),
)
