"""Account emails, sent in the background. Each task takes ids only, loads, and sends.

Delivery errors are re-raised without their original message: SMTP errors quote recipient
addresses, and the task runner logs failures with their traceback.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from learnward.core.i18n import use_language
from learnward.core.links import absolute_url
from learnward.core.mail import deliver_service_email

from .models import User
from .tokens import TokenPurpose, make_email_token


def _in_users_language(func):
    """Run a task that takes ``user_id`` first in that user's saved language: its subject,
    body, links (/nl/...) and dates."""

    @functools.wraps(func)
    def wrapper(user_id: int, *args, **kwargs):
        language = User.objects.filter(pk=user_id).values_list("language", flat=True).first()
        with use_language(language):
            return func(user_id, *args, **kwargs)

    return wrapper


def _hours() -> int:
    return settings.EMAIL_VERIFICATION_MAX_AGE // 3600


@task()
def send_verification_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None or user.has_verified_email:
        return
    token = make_email_token(user_id=user.pk, address=user.email, purpose=TokenPurpose.VERIFY)
    # Written in their language: the subject, the body and the link (/nl/... for Dutch).
    with use_language(user.language):
        deliver_service_email(
            to=user.email,
            subject=_("Confirm your email address"),
            template="accounts/email/verify",
            context={
                "user": user,
                "link": absolute_url(reverse("accounts:verify", args=[token])),
                "hours": _hours(),
            },
            language=user.language,
        )


@task()
@_in_users_language
def send_already_registered_email(user_id: int) -> None:
    """Someone tried to sign up with an address that already has an account."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    deliver_service_email(
        to=user.email,
        subject=_("You already have an account"),
        template="accounts/email/already_registered",
        context={
            "user": user,
            "login_link": absolute_url(reverse("accounts:login")),
            "reset_link": absolute_url(reverse("accounts:password_reset")),
        },
    )


@task()
@_in_users_language
def send_email_change_emails(user_id: int) -> None:
    """A link to the new address, and a notice to the current one."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.pending_email:
        return
    new_address = user.pending_email
    if User.objects.filter(email__iexact=new_address).exclude(pk=user.pk).exists():
        # The same response as for a free address, so the form does not reveal who has an
        # account; the owner of the new address is told why no link came.
        deliver_service_email(
            to=new_address,
            subject=_("This address already has an account"),
            template="accounts/email/email_change_taken",
            context={"reset_link": absolute_url(reverse("accounts:password_reset"))},
        )
    else:
        token = make_email_token(user_id=user.pk, address=new_address, purpose=TokenPurpose.CHANGE)
        deliver_service_email(
            to=new_address,
            subject=_("Confirm your new email address"),
            template="accounts/email/email_change_verify",
            context={
                "user": user,
                "link": absolute_url(reverse("accounts:email_change_confirm", args=[token])),
                "hours": _hours(),
            },
        )
    deliver_service_email(
        to=user.email,
        subject=_("A change to your email address was requested"),
        template="accounts/email/email_change_notice",
        context={
            "user": user,
            "profile_link": absolute_url(reverse("accounts:profile")),
            "reset_link": absolute_url(reverse("accounts:password_reset")),
        },
    )


@task()
@_in_users_language
def send_password_reset_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.is_active or not user.has_usable_password():
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    deliver_service_email(
        to=user.email,
        subject=_("Reset your password"),
        template="accounts/email/password_reset",
        context={
            "user": user,
            "link": absolute_url(path),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
    )


@task()
@_in_users_language
def send_password_changed_email(user_id: int) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    deliver_service_email(
        to=user.email,
        subject=_("Your password was changed"),
        template="accounts/email/password_changed",
        context={"user": user, "reset_link": absolute_url(reverse("accounts:password_reset"))},
    )


# --- Guardian consent (accounts/guardian.py) ------------------------------------------------------


@task()
def send_guardian_request_email(request_id: int) -> None:
    """Ask the guardian to agree or refuse, with the signed link."""
    from .guardian import guardian_link_path
    from .models import GuardianConsentRequest

    request = (
        GuardianConsentRequest.objects.select_related("user")
        .filter(pk=request_id, status=GuardianConsentRequest.Status.PENDING)
        .first()
    )
    if request is None or request.user.status != User.Status.PENDING_GUARDIAN:
        return
    # The guardian has no account: written in the learner's language, the one they signed up in.
    with use_language(request.user.language):
        deliver_service_email(
            to=request.guardian_email,
            subject=_("Please answer: a learner's account with %(provider)s")
            % {"provider": settings.PROVIDER_NAME},
            template="accounts/email/guardian_request",
            context={
                "name": request.user.display_name,
                "link": absolute_url(guardian_link_path(request)),
                "expires_at": request.expires_at,
                "age": settings.GUARDIAN_CONSENT_BELOW,
                "privacy_link": absolute_url(reverse("privacy:notice")),
            },
        )


@task()
@_in_users_language
def send_guardian_consented_email(user_id: int) -> None:
    """Tell the learner their guardian agreed and they can use the account."""
    user = User.objects.filter(pk=user_id, status=User.Status.ACTIVE).first()
    if user is None:
        return
    deliver_service_email(
        to=user.email,
        subject=_("Your account is ready"),
        template="accounts/email/guardian_consented",
        context={
            "user": user,
            "login_link": absolute_url(reverse("accounts:login")),
            "verify_link": absolute_url(reverse("accounts:verify_resend")),
        },
    )


def send_guardian_outcome_notice(*, to: str, outcome: str, language: str = "") -> None:
    """The waiting account was erased (refused or no answer). Sent at once, not queued: a queued
    task would keep the address after erasure. Names nobody: the address may not be verified.
    Written in ``language``, the erased account's."""
    with use_language(language):
        deliver_service_email(
            to=to,
            subject=_("Your account request has been deleted"),
            template="accounts/email/guardian_erased",
            context={
                "refused": outcome == "refused",
                "days": settings.GUARDIAN_CONSENT_DAYS,
                "signup_link": absolute_url(reverse("accounts:signup")),
            },
        )
