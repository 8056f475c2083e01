"""The registry of notification kinds.

Each app registers the kinds it raises from its own ``AppConfig.ready()``::

    from learnward.notifications.kinds import register_kind

    register_kind(
        "reply",
        label="Replies to your posts",
        description="Someone replied to a thread you started or posted in.",
        push_text="You have a new reply",
    )

A kind's ``default_channels`` apply until the person saves their own choice. A ``service`` kind
(a security notice) cannot be turned off: the settings page shows it fixed, with ``service_reason``.
``push_text`` is the whole push payload: minimal, no names, no content.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

IN_APP = "in_app"
EMAIL_OFF = "off"
EMAIL_IMMEDIATE = "immediate"
EMAIL_DAILY = "daily"
EMAIL_CHOICES = (EMAIL_OFF, EMAIL_IMMEDIATE, EMAIL_DAILY)

DEFAULT_PUSH_TEXT = _("You have a new notification")

DEFAULT_SERVICE_REASON = _(
    "This is a service message about the safety of your account, so it is always sent."
)


@dataclass(frozen=True)
class Channels:
    """Which channels a kind uses: in-app, email (off, immediate or daily) and push."""

    in_app: bool = True
    email: str = EMAIL_OFF
    push: bool = False

    def __post_init__(self) -> None:
        if self.email not in EMAIL_CHOICES:
            raise ValueError(f"email channel must be one of {EMAIL_CHOICES}")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    service: bool = False
    default_channels: Channels = field(default_factory=Channels)
    push_text: str = DEFAULT_PUSH_TEXT
    service_reason: str = ""


_KINDS: dict[str, Kind] = {}


def register_kind(
    key: str,
    *,
    label: str,
    description: str,
    service: bool = False,
    default_channels: Channels | dict | None = None,
    push_text: str = DEFAULT_PUSH_TEXT,
    service_reason: str = "",
) -> Kind:
    """Add a kind (registering the same kind twice, identically, changes nothing)."""
    if isinstance(default_channels, dict):
        default_channels = Channels(**default_channels)
    if default_channels is None:
        # Service kinds go by email at once as well as in-app; others in-app only by default.
        default_channels = Channels(email=EMAIL_IMMEDIATE) if service else Channels()
    kind = Kind(
        key=key,
        label=label,
        description=description,
        service=service,
        default_channels=default_channels,
        push_text=push_text,
        service_reason=(service_reason or DEFAULT_SERVICE_REASON) if service else "",
    )
    existing = _KINDS.get(key)
    if existing is not None and existing != kind:
        raise ValueError(f"notification kind {key!r} is already registered differently")
    _KINDS[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    try:
        return _KINDS[key]
    except KeyError as exc:
        raise ValueError(f"{key!r} is not a registered notification kind") from exc


def label_of(key: str) -> str:
    """The kind's label, or "Notification" for a kind no longer registered."""
    kind = _KINDS.get(key)
    return kind.label if kind is not None else _("Notification")


def all_kinds() -> list[Kind]:
    """Every kind, service kinds first, then by label."""
    return sorted(_KINDS.values(), key=lambda k: (not k.service, k.label.lower()))


def register_generic_kinds() -> None:
    """The kinds raised by apps below or beside this one that cannot register their own
    (they must not import notifications before their branch lands): registered here."""
    register_kind(
        "security",
        label=_("Security notices"),
        description=_(
            "Your password was changed, two-factor sign-in was turned on or off, or "
            "something else happened that affects the safety of your account."
        ),
        service=True,
        # The account's own security emails go out as they always did (learnward.accounts);
        # the notification adds the in-app record, so no second email.
        default_channels=Channels(in_app=True, email=EMAIL_OFF),
        service_reason=_(
            "Security notices are about the safety of your account, so they are "
            "always shown here and always emailed to you when they happen; they cannot be turned off."
        ),
        push_text=_("There is a security notice about your account"),
    )
    register_kind(
        "certificate_expiry",
        label=_("Certificate expiry"),
        description=_("A certificate of yours is about to expire and can be renewed."),
        default_channels=Channels(in_app=True, email=EMAIL_OFF),
        push_text=_("A certificate of yours expires soon"),
    )
    register_kind(
        "request_answered",
        label=_("Data protection requests answered"),
        description=_("We answered a data protection request you made."),
        push_text=_("Your request has been answered"),
    )
    register_kind(
        "session_reminder",
        label=_("Session reminders"),
        description=_("A live session you booked starts soon."),
        push_text=_("A session starts soon"),
    )
    register_kind(
        "marking_done",
        label=_("Marking done"),
        description=_("A tutor marked work you submitted, or your exam results were released."),
        push_text=_("Your work has been marked"),
    )
