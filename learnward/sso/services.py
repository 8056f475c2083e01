"""What a verified assertion from a provider does: sign in the account linked to it, create an
account for a new verified address, or ask the owner of an existing account to prove it first.

Rules (issue #17, "Single sign-on"):

- an assertion is used only when the provider says the address is verified (``email_verified``);
- an organisation's provider may only assert addresses on that organisation's domains;
- a first sign-in with the address of an existing account never takes the account over: the
  owner signs in with their password once (:func:`identity_link`), then the provider is linked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from learnward.accounts.models import User
from learnward.accounts.services import user_create_verified
from learnward.audit.actions import Action
from learnward.audit.services import audit_record
from learnward.core.mail import normalise_email
from learnward.core.text import NameNotAllowed, clean_person_name
from learnward.organisations.models import EmailDomain

from .backends import SignInRefused
from .models import ExternalIdentity, IdentityProvider

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = User._meta.get_field("display_name").max_length


@dataclass(frozen=True)
class Assertion:
    """What a provider said about the person, once the ID token was verified."""

    provider: IdentityProvider
    subject: str
    email: str
    name: str


@dataclass(frozen=True)
class Outcome:
    user: User
    # "signed_in" (a linked account), "created" (a new account) or "needs_link" (an account
    # with this address exists and is not linked to this provider yet).
    kind: str


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider of the organisation that owns ``email``'s domain, if any."""
    domain = normalise_email(email).rpartition("@")[2]
    if not domain:
        return None
    bound = EmailDomain.objects.filter(domain=domain).values("organisation_id").first()
    if bound is None:
        return None
    return (
        IdentityProvider.objects.filter(organisation_id=bound["organisation_id"], enabled=True)
        .order_by("id")
        .first()
    )


def email_domain_allowed(provider: IdentityProvider, email: str) -> bool:
    """A social provider may assert any address; an organisation's only its own domains'."""
    if provider.is_social:
        return True
    domain = normalise_email(email).rpartition("@")[2]
    return EmailDomain.objects.filter(
        organisation_id=provider.organisation_id, domain=domain
    ).exists()


def email_verified(provider: IdentityProvider, claims: dict) -> bool:
    """Whether the provider vouches for the address: ``email_verified`` is a literal true ("true",
    1 or a missing claim are not). Microsoft Entra ID never sends ``email_verified`` for work
    accounts; its optional ``xms_edov`` claim (the tenant has verified the address's domain)
    stands in for it, for an organisation's provider only, and only when ``email_verified`` is
    absent (a false one is never overruled). The domain must still be the organisation's."""
    if "email_verified" in claims:
        return claims["email_verified"] is True
    return not provider.is_social and claims.get("xms_edov") is True


def assertion_from_claims(*, provider: IdentityProvider, claims: dict) -> Assertion:
    """Check what the claims say about the address; :class:`SignInRefused` when unusable."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise SignInRefused("no_email")
    if not email_verified(provider, claims):
        raise SignInRefused("email_unverified")
    email = normalise_email(email)
    if not email_domain_allowed(provider, email):
        raise SignInRefused("domain_not_bound")
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    return Assertion(provider=provider, subject=claims["sub"], email=email, name=name)


def _display_name(assertion: Assertion) -> str:
    try:
        name = clean_person_name(assertion.name)[:NAME_MAX_LENGTH].strip()
    except NameNotAllowed:
        name = ""
    return name or assertion.email.partition("@")[0][:NAME_MAX_LENGTH]


def sso_refusal_record(
    *, reason: str, provider: IdentityProvider | None = None, user: User | None = None
) -> None:
    with transaction.atomic(durable=True):
        audit_record(
            action=Action.SSO_REFUSED,
            subject=user,
            target=provider,
            payload={"reason": reason, "provider": provider.slug if provider else ""},
        )
    logger.info("sso sign-in refused: %s", reason)


def sso_resolve(*, assertion: Assertion, language: str = "") -> Outcome:
    """The account this assertion signs in: the one linked to the subject, a new one for a new
    address, or (``needs_link``) the existing account with this address, which the owner must
    prove before the provider is linked to it. A new account's saved language is ``language``,
    the language of the page the sign-in started on."""
    provider = assertion.provider
    now = timezone.now()
    with transaction.atomic(durable=True):
        identity = (
            ExternalIdentity.objects.select_for_update()
            .select_related("user")
            .filter(provider=provider, subject=assertion.subject)
            .first()
        )
        if identity is not None:
            identity.last_sign_in_at = now
            identity.save(update_fields=["last_sign_in_at"])
            return Outcome(user=identity.user, kind="signed_in")
        existing = User.objects.filter(email__iexact=assertion.email).first()
        if existing is not None:
            return Outcome(user=existing, kind="needs_link")
        try:
            with transaction.atomic():
                # A verified address, no password (signing in is through the provider, or a
                # password set later by "Forgotten your password?").
                user = user_create_verified(
                    email=assertion.email,
                    display_name=_display_name(assertion),
                    verified_at=now,
                    language=language,
                )
        except IntegrityError:
            # The same address signed up at the same moment: treat it as an existing account.
            return Outcome(user=User.objects.get(email__iexact=assertion.email), kind="needs_link")
        ExternalIdentity.objects.create(
            user=user,
            provider=provider,
            subject=assertion.subject,
            linked_at=now,
            last_sign_in_at=now,
        )
        audit_record(
            action=Action.SSO_ACCOUNT_CREATED,
            actor=user,
            subject=user,
            target=provider,
            payload={"provider": provider.slug},
        )
        return Outcome(user=user, kind="created")


def sso_signed_in_record(*, user: User, provider: IdentityProvider) -> None:
    with transaction.atomic(durable=True):
        audit_record(
            action=Action.SSO_SIGNED_IN,
            actor=user,
            subject=user,
            target=provider,
            payload={"provider": provider.slug},
        )


class AlreadyLinked(SignInRefused):
    pass


def identity_link(*, user: User, provider: IdentityProvider, subject: str) -> ExternalIdentity:
    """Link ``provider``'s ``subject`` to ``user``, who has just proved the account is theirs."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        taken = ExternalIdentity.objects.filter(provider=provider).filter(
            subject=subject
        ) | ExternalIdentity.objects.filter(provider=provider, user=user)
        if taken.exists():
            raise AlreadyLinked("already_linked")
        identity = ExternalIdentity.objects.create(
            user=user, provider=provider, subject=subject, linked_at=now, last_sign_in_at=now
        )
        if user.email_verified_at is None:
            # The provider verified the address and the owner proved the account: both hold.
            user.email_verified_at = now
            user.save(update_fields=["email_verified_at"])
        audit_record(
            action=Action.SSO_LINKED,
            actor=user,
            subject=user,
            target=provider,
            payload={"provider": provider.slug},
        )
        return identity
