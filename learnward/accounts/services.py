"""Account write services. Each runs in one transaction and records one audit entry.

Emails are enqueued on commit and carry ids only (see tasks.py).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.errors import ApplicationError
from learnward.core.i18n import language_codes, supported_language
from learnward.core.mail import normalise_email
from learnward.core.text import clean_person_name
from learnward.notifications.services import notify

from . import limits, tasks
from .age import AgeDecision, AgeOutcome, age_policy
from .guardian import check_guardian_email, guardian_request_create
from .models import User
from .roles import ROLE_PERMISSIONS, ensure_roles
from .tokens import TokenError, TokenPurpose, read_email_token

logger = logging.getLogger(__name__)


class SignUpRefused(ApplicationError):
    """The age policy refuses this applicant; nothing about them was stored."""

    def __init__(self, decision: AgeDecision) -> None:
        super().__init__(decision.outcome)
        self.decision = decision


class GuardianEmailRequired(SignUpRefused):
    """The applicant is in the guardian band and gave no guardian's address; nothing stored."""


class EmailAlreadyRegistered(ApplicationError):
    """Sign-up with an address that already has an account. Carries no address."""

    def __init__(self, user_id: int) -> None:
        super().__init__("address already registered")
        self.user_id = user_id


class EmailTaken(ApplicationError):
    """An email change could not complete: another account has the address by now."""


def _enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


# --- Sign-up and verification -----------------------------------------------------------------


def user_sign_up(
    *,
    email: str,
    display_name: str,
    date_of_birth: date,
    password: str,
    today: date | None = None,
    guardian_email: str = "",
    language: str = "",
) -> User:
    """Create an account and send the verification email.

    ``language`` is the language of the page they signed up on: saved as their preference, and
    the verification email is written in it.

    An applicant in the guardian band (``LEARNWARD_MINIMUM_AGE`` up to
    ``LEARNWARD_GUARDIAN_CONSENT_BELOW``) must give ``guardian_email``: the account is created
    waiting for the guardian (``pending_guardian``) and the guardian is emailed a link to agree
    or refuse (see guardian.py).

    Raises :class:`SignUpRefused` when the age policy says no, :class:`GuardianEmailRequired`
    when a guardian's address is needed and missing, ``guardian.GuardianEmailInvalid`` when it
    cannot be used (all before anything is written), :class:`EmailAlreadyRegistered` when the
    address has an account, and Django's ``ValidationError`` when the password fails the
    validators.
    """
    decision = age_policy(date_of_birth, today or timezone.localdate())
    if decision.outcome == AgeOutcome.REFUSE:
        raise SignUpRefused(decision)
    needs_guardian = decision.outcome == AgeOutcome.GUARDIAN_REQUIRED
    if needs_guardian and not (guardian_email or "").strip():
        raise GuardianEmailRequired(decision)
    email = normalise_email(email)
    if needs_guardian:
        guardian_email = check_guardian_email(guardian_email=guardian_email, learner_email=email)
    display_name = clean_person_name(display_name)
    validate_password(password, User(email=email, display_name=display_name))
    existing = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if existing is not None:
        raise EmailAlreadyRegistered(existing)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                display_name=display_name,
                date_of_birth=date_of_birth,
                status=User.Status.PENDING_GUARDIAN if needs_guardian else User.Status.ACTIVE,
                language=supported_language(language),
            )
            audit_record(
                action=Action.USER_SIGNED_UP,
                actor=user,
                subject=user,
                target=user,
                payload={"guardian_consent": "asked"} if needs_guardian else None,
            )
            if needs_guardian:
                guardian_request_create(user=user, guardian_email=guardian_email)
            _enqueue_on_commit(tasks.send_verification_email, user.pk)
    except IntegrityError:
        # Lost a race with another sign-up for the same address.
        existing = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        if existing is None:
            raise
        raise EmailAlreadyRegistered(existing) from None
    return user


def user_create_verified(*, email: str, display_name: str, verified_at, language: str = "") -> User:
    """An account for an address someone else has verified (an organisation's identity provider
    at single sign-on): email-verified, no password (one can be set later through "Forgotten
    your password?"). Runs in the caller's transaction, which audits why; an address that has an
    account raises ``IntegrityError`` from the database."""
    return User.objects.create_user(
        normalise_email(email),
        password=None,
        display_name=clean_person_name(display_name),
        email_verified_at=verified_at,
        language=supported_language(language),
    )


def user_signup_collision_notify(*, user_id: int) -> None:
    """Tell the owner of an address that someone tried to sign up with it (rate-limited)."""
    try:
        limits.hit("already-registered", str(user_id))
    except limits.RateLimited:
        return
    tasks.send_already_registered_email.enqueue(user_id)


def user_verify_email(*, token: str) -> User:
    """Mark the address a verification link was sent to as verified.

    Raises :class:`TokenError` ("expired" or "invalid"). Verifying twice is harmless.
    """
    data = read_email_token(token, purpose=TokenPurpose.VERIFY)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(pk=data.user_id).first()
        if user is None or user.status == User.Status.CLOSED or not data.is_for(user.email):
            raise TokenError("invalid")
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
            audit_record(action=Action.USER_EMAIL_VERIFIED, actor=user, subject=user, target=user)
    return user


def user_resend_verification(*, user: User) -> None:
    """Send a fresh verification link. Raises limits.RateLimited after 3 an hour per account."""
    if user.has_verified_email:
        return
    limits.hit("verify-resend", str(user.pk))
    with transaction.atomic():
        audit_record(action=Action.USER_VERIFICATION_SENT, actor=user, subject=user, target=user)
        _enqueue_on_commit(tasks.send_verification_email, user.pk)


def user_resend_verification_to(*, email: str) -> None:
    """Resend for whoever owns ``email``, if unverified; silent otherwise (no enumeration)."""
    user = (
        User.objects.filter(email__iexact=normalise_email(email), email_verified_at__isnull=True)
        .exclude(status=User.Status.CLOSED)
        .first()
    )
    if user is None:
        return
    try:
        user_resend_verification(user=user)
    except limits.RateLimited:
        return


# --- Profile --------------------------------------------------------------------------------


def user_update_profile(
    *, user: User, display_name: str, actor: User, language: str | None = None
) -> list[str]:
    """Change the shown name and, when given, the language. Returns the fields that changed
    (``[]`` records nothing).

    Raises ``core.text.NameNotAllowed`` for a name with control or invisible characters."""
    display_name = clean_person_name(display_name)
    if not display_name:
        raise ValueError("a name is required")
    if language is not None and language not in language_codes():
        raise ValueError("not one of the site's languages")
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = []
        if user.display_name != display_name:
            user.display_name = display_name
            changed.append("display_name")
        if language is not None and user.language != language:
            user.language = language
            changed.append("language")
        if not changed:
            return []
        user.save(update_fields=changed)
        audit_record(
            action=Action.USER_PROFILE_CHANGED,
            actor=actor,
            subject=user,
            target=user,
            payload={"fields": changed},
        )
    return changed


def user_set_language(*, user: User, language: str) -> bool:
    """Save the language chosen on the switcher as a signed-in person's preference. Returns
    False when it was already theirs."""
    if language not in language_codes():
        raise ValueError("not one of the site's languages")
    updated = User.objects.filter(pk=user.pk).exclude(language=language).update(language=language)
    if updated:
        user.language = language
        audit_record(
            action=Action.USER_PROFILE_CHANGED,
            actor=user,
            subject=user,
            target=user,
            payload={"fields": ["language"]},
        )
    return bool(updated)


def user_request_email_change(*, user: User, new_email: str) -> None:
    """Keep ``new_email`` pending, send it a link, and tell the current address.

    Raises limits.RateLimited after 3 requests an hour per account.
    """
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise ValueError("the new address is the current one")
    limits.hit("email-change", str(user.pk))
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        user.pending_email = new_email
        user.save(update_fields=["pending_email"])
        audit_record(
            action=Action.USER_EMAIL_CHANGE_REQUESTED, actor=user, subject=user, target=user
        )
        _enqueue_on_commit(tasks.send_email_change_emails, user.pk)
        # The security notice is emailed (above); the notification centre shows it too.
        notify(
            user=user,
            kind="security",
            title="A change to your email address was requested",
            url=reverse("accounts:profile"),
        )


def user_cancel_email_change(*, user: User) -> bool:
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.pending_email:
            return False
        user.pending_email = ""
        user.save(update_fields=["pending_email"])
        audit_record(
            action=Action.USER_PROFILE_CHANGED,
            actor=user,
            subject=user,
            target=user,
            payload={"fields": ["pending_email"], "cancelled": True},
        )
    return True


def user_confirm_email_change(*, token: str) -> User:
    """Replace the address with the pending one the link was sent to.

    Raises :class:`TokenError`, and :class:`EmailTaken` when another account has the address by
    now (the pending change is then dropped). Following the link again is harmless.
    """
    data = read_email_token(token, purpose=TokenPurpose.CHANGE)
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(pk=data.user_id).first()
        if user is None or user.status == User.Status.CLOSED:
            raise TokenError("invalid")
        if not data.is_for(user.pending_email):
            if data.is_for(user.email):
                return user  # already confirmed
            raise TokenError("invalid")
        taken = User.objects.filter(email__iexact=user.pending_email).exclude(pk=user.pk).exists()
        if taken:
            user.pending_email = ""
            user.save(update_fields=["pending_email"])
            audit_record(
                action=Action.USER_PROFILE_CHANGED,
                actor=user,
                subject=user,
                target=user,
                payload={"fields": ["pending_email"], "cancelled": True, "reason": "taken"},
            )
        else:
            user.email = user.pending_email
            user.pending_email = ""
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email", "pending_email", "email_verified_at"])
            audit_record(action=Action.USER_EMAIL_CHANGED, actor=user, subject=user, target=user)
    if taken:
        raise EmailTaken()
    return user


# --- Passwords ------------------------------------------------------------------------------


def user_change_password(*, user: User, new_password: str) -> User:
    """The signed-in user chose a new password; the account's address is told."""
    with transaction.atomic(durable=True):
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(action=Action.USER_PASSWORD_CHANGED, actor=user, subject=user, target=user)
        _enqueue_on_commit(tasks.send_password_changed_email, user.pk)
        notify(
            user=user,
            kind="security",
            title="Your password was changed",
            url=reverse("accounts:profile"),
        )
    return user


def user_reset_password(*, user: User, new_password: str) -> User:
    """A new password set through an emailed link.

    Following the link proves control of the address, so it also verifies it, and it lifts a
    sign-in lockout and a pause of password checks for the account.
    """
    from axes.utils import reset as axes_reset

    with transaction.atomic(durable=True):
        user.set_password(new_password)
        fields = ["password"]
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            fields.append("email_verified_at")
        user.save(update_fields=fields)
        audit_record(action=Action.USER_PASSWORD_RESET, actor=user, subject=user, target=user)
        axes_reset(username=user.email)
    limits.password_checks_clear(user.pk)
    return user


def user_password_reset_request(*, email: str) -> None:
    """Email a reset link to the account with ``email``, if any (silent otherwise; 3 an hour)."""
    user = (
        User.objects.filter(email__iexact=normalise_email(email))
        .exclude(status=User.Status.CLOSED)
        .first()
    )
    if user is None or not user.has_usable_password():
        return
    try:
        limits.hit("password-reset", str(user.pk))
    except limits.RateLimited:
        return
    tasks.send_password_reset_email.enqueue(user.pk)


class PasswordChecksPaused(ApplicationError):
    """Too many wrong passwords typed inside a session: password checks for the account are
    paused. ``message`` is for the person; ``minutes`` is how long is left."""

    def __init__(self, *, minutes: int) -> None:
        super().__init__(
            ngettext(
                "You have typed a wrong password too many times, so for your security we have "
                "paused password checks on this account. Nothing has been changed. Try again in "
                "%(minutes)d minute.",
                "You have typed a wrong password too many times, so for your security we have "
                "paused password checks on this account. Nothing has been changed. Try again in "
                "%(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )
        self.minutes = minutes


def user_password_recheck(*, user: User, password: str) -> bool:
    """Whether ``password`` is the signed-in ``user``'s current password.

    For the forms that ask for it again (change email, change password, delete account).
    ``LEARNWARD_PASSWORD_RECHECK_FAILURE_LIMIT`` wrong ones pause every check for the account
    for ``LEARNWARD_PASSWORD_RECHECK_LOCKOUT_MINUTES``: the pause is audited once
    (``user.password_checks_paused``) and raises :class:`PasswordChecksPaused`, as does every
    check during it, whatever the password, which is not even compared.
    """
    from django.conf import settings

    paused = limits.password_checks_paused_seconds(user.pk)
    if paused:
        raise PasswordChecksPaused(minutes=math.ceil(paused / 60))
    if user.check_password(password):
        limits.password_checks_clear(user.pk)
        return True
    if not limits.password_check_failed(user.pk):
        return False
    minutes = settings.PASSWORD_RECHECK_LOCKOUT_MINUTES
    with transaction.atomic():
        audit_record(
            action=Action.USER_PASSWORD_CHECKS_PAUSED,
            actor=user,
            subject=user,
            target=user,
            payload={"minutes": minutes},
        )
    logger.warning("password checks paused for an account for %d minutes", minutes)
    raise PasswordChecksPaused(minutes=minutes)


# --- Security events ----------------------------------------------------------------------------


def user_record_lockout(*, username: str | None) -> None:
    """Audit a sign-in lockout for the account with this login, if one exists.

    Lockouts of addresses without an account are not recorded: the address typed may be
    anyone's. Axes repeats its signal on every attempt during a lockout; one entry per lockout
    is kept (per account, for the cool-off period).
    """
    if not username:
        return
    user = User.objects.filter(email__iexact=username.strip()).first()
    if user is None:
        return
    try:
        limits.hit("lockout-audited", str(user.pk), limit=1, window=_cooloff_seconds())
    except limits.RateLimited:
        return
    with transaction.atomic():
        audit_record(action=Action.USER_LOGIN_LOCKED_OUT, subject=user, target=user)


def _cooloff_seconds() -> int:
    from django.conf import settings

    hours = settings.AXES_COOLOFF_TIME or 0
    return max(60, int(float(hours) * 3600))


# --- Staff roles ---------------------------------------------------------------------------------


def user_set_roles(*, user: User, roles: Iterable[str], actor: User | None) -> bool:
    """Give ``user`` exactly these staff roles. Returns False when nothing changed.

    ``actor`` None means the system (demo, commands). A staff actor needs the ``set_roles``
    permission, and only a superuser may change a superuser's roles.
    """
    wanted = set(roles)
    unknown = wanted - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    if actor is not None:
        if not actor.has_perm("accounts.set_roles"):
            raise PermissionDenied("changing roles needs the set-roles permission")
        if user.is_superuser and not actor.is_superuser:
            raise PermissionDenied("only a superuser may change a superuser's roles")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        groups = ensure_roles()
        current = set(user.groups.filter(name__in=ROLE_PERMISSIONS).values_list("name", flat=True))
        is_staff = bool(wanted) or user.is_superuser
        if current == wanted and user.is_staff == is_staff:
            return False
        other_groups = list(user.groups.exclude(name__in=ROLE_PERMISSIONS))
        user.groups.set(other_groups + [groups[name] for name in sorted(wanted)])
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
        audit_record(
            action=Action.USER_ROLE_CHANGED,
            actor=actor,
            subject=user,
            target=user,
            payload={"added": sorted(wanted - current), "removed": sorted(current - wanted)},
        )
    return True


def _user_set_status(*, user: User, status: str, deactivated_at, actor: User | None) -> None:
    User.objects.filter(pk=user.pk).update(status=status, deactivated_at=deactivated_at)
    user.status, user.deactivated_at = status, deactivated_at
    audit_record(
        action=Action.USER_STATUS_CHANGED,
        actor=actor,
        subject=user,
        target=user,
        payload={"status": status},
    )


def user_deactivate(*, user: User, actor: User | None) -> None:
    """Deactivate the account now (it cannot be used; retention counts from this moment)."""
    with transaction.atomic():
        _user_set_status(
            user=user, status=User.Status.DEACTIVATED, deactivated_at=timezone.now(), actor=actor
        )


def user_reactivate(*, user: User, actor: User | None) -> None:
    """Make a deactivated account active again, clearing the date retention counts from."""
    with transaction.atomic():
        _user_set_status(user=user, status=User.Status.ACTIVE, deactivated_at=None, actor=actor)
