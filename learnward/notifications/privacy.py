from django.utils.translation import gettext_lazy as _

from learnward.privacy.registry import Erasure, Retention, RetentionAction, declare
from learnward.privacy.registry.purposes import (
    LawfulBasis,
    Purpose,
    register_purpose,
    register_recipients,
)
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

from .models import DigestItem, Notification, NotificationPreference, PushSubscription
from .push import recipients as push_recipients

_BY_USER = "user"  # the ORM path to the person a row is about (not text)

register_purpose(
    Purpose(
        "notifications",
        _("Notifying you"),
        LawfulBasis.CONTRACT,
        _(
            "Telling you about things that concern you here (replies, reminders, certificates, "
            "answers to your requests, security notices) in the notification centre and, as you "
            "choose for each kind, by email at once or in a daily digest."
        ),
        essential_service=True,
    )
)
register_purpose(
    Purpose(
        "web_push",
        _("Push notifications on your devices"),
        LawfulBasis.CONTRACT,
        _(
            'Sending a short, encrypted notification (such as "You have a new reply", with no '
            "names and no content) to the devices you turned push notifications on for. Your "
            "browser's vendor runs the push service that delivers it; it cannot read it."
        ),
        essential_service=True,
        uses_outside_processor=True,
    )
)
# The browser vendors' push services, named only while push is configured.
register_recipients("web_push", push_recipients)

declare(
    Notification,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "kind": "user.communications",
        "title": "user.communications",
        "url": "user.communications",
        "body": "user.communications",
        "created_at": "user.communications",
        "read_at": "user.communications",
        "in_app": "user.communications",
    },
    purposes=["notifications"],
    erasure=Erasure.delete(),
    retention=Retention(
        description=_("12 months after the notification was raised"),
        anchor="created_at",
        months=12,
        action=RetentionAction.DELETE,
        setting="LEARNWARD_RETENTION_NOTIFICATION_MONTHS",
        minimum_months=1,
    ),
    source=_("Us, when something here concerns you"),
    label=_("Your notifications"),
)

declare(
    NotificationPreference,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "kind": "user.account.settings",
        "in_app": "user.account.settings",
        "email": "user.account.settings",
        "push": "user.account.settings",
        "updated_at": "user.account.settings",
    },
    purposes=["notifications"],
    erasure=Erasure.delete(),
    retention_note=_("Kept while you have an account; deleted with it."),
    source=_("You, in your notification settings"),
    label=_("Your notification settings"),
)

declare(
    PushSubscription,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "user": "user.unique_id",
        "endpoint": "user.device.cookie_id",
        "p256dh": "user.device.cookie_id",
        "auth": "user.device.cookie_id",
        "user_agent_label": "user.device.browser",
        "enabled": "user.account.settings",
        "created_at": "user.device.cookie_id",
        "last_used_at": "user.device.cookie_id",
    },
    purposes=["web_push"],
    erasure=Erasure.delete(),
    retention_note=_(
        "Kept while the device is turned on for push; deleted when you turn it off, "
        "when its push service says it no longer exists, or with your account."
    ),
    source=_("Your browser, when you turn push notifications on for a device"),
    label=_("Devices you get push notifications on"),
)

declare(
    DigestItem,
    subject=_BY_USER,
    fields={
        "id": NOT_PERSONAL,
        "notification": "user.communications",
        "user": "user.unique_id",
        "created_at": "user.communications",
    },
    purposes=["notifications"],
    erasure=Erasure.delete(),
    retention_note=_("Deleted when the daily digest email is sent (the next day)."),
    source=_("Us, when you chose a daily digest for a kind of notification"),
    label=_("Notifications waiting for your daily digest"),
)
