"""The one gate every use of personal data for a purpose passes through.

Services call :func:`require_processing` (or :func:`processing_allowed`) before they use a
learner's data for a purpose: before sending marketing, calling an AI service, personalising,
passing data to an awarding body. The gate decides from the purpose's flags in
``learnward.privacy.purposes`` alone, never from the caller:

- restriction (UK GDPR Art. 18): only purposes that are storage, legal claims or the learner's own
  use of the service continue (:attr:`Purpose.allowed_while_restricted`);
- objection (Art. 21): a legitimate-interests purpose the learner objected to stops, unless the
  purpose states compelling grounds (:attr:`Purpose.objection_overridden`);
- consent (Art. 6(1)(a)): consent-based purposes need consent, read from
  ``learnward.privacy.consent.consent_given``; without that module nothing consent-based runs;
- children (the ICO Children's Code): no profiling, AI features or marketing for under-18s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from learnward.core.dates import age_on
from learnward.core.errors import ApplicationError
from learnward.privacy.consent.selectors import (
    active_objection_purposes,
    is_restricted,
    objecting_user_ids,
    restricted_user_ids,
)
from learnward.privacy.consent.services import consent_given
from learnward.privacy.registry.purposes import LawfulBasis, get_purpose

ADULT_AGE = 18


class ProcessingBlocked(ApplicationError):  # noqa: N818 - the interface's agreed name
    """Raised by :func:`require_processing`; ``reason`` is safe to show the learner."""

    def __init__(self, *, purpose: str, reason: str) -> None:
        super().__init__(f"{purpose}: {reason}")
        self.purpose = purpose
        self.reason = reason


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def age_decision(
    *, purpose: str, date_of_birth: date | None, today: date | None = None
) -> Decision:
    """The children's part of the gate alone, from a date of birth: for someone who has no
    account yet (the sign-up form asks before it stores anything)."""
    if not get_purpose(purpose).blocked_for_minors or date_of_birth is None:
        return Decision(True)
    today = today or timezone.localdate()
    if age_on(date_of_birth, today) < ADULT_AGE:
        return Decision(False, _("We do not do this for learners under 18."))
    return Decision(True)


def processing_decision(*, user, purpose: str) -> Decision:
    """Whether ``purpose`` may use ``user``'s data now, and if not, why (in plain words)."""
    spec = get_purpose(purpose)
    if user is None or not getattr(user, "pk", None):
        return Decision(False, _("There is no account to check."))
    children = age_decision(purpose=purpose, date_of_birth=getattr(user, "date_of_birth", None))
    if not children:
        return children
    if is_restricted(user_id=user.pk) and not spec.allowed_while_restricted:
        return Decision(False, _("You have restricted the processing of your data."))
    if (
        spec.objectable
        and not spec.objection_overridden
        and purpose in active_objection_purposes(user_id=user.pk)
    ):
        return Decision(False, _("You have objected to this use of your data."))
    if spec.basis == LawfulBasis.CONSENT and not consent_given(user=user, purpose=purpose):
        return Decision(False, _("You have not given your consent to this."))
    return Decision(True)


def processing_allowed(*, user, purpose: str) -> bool:
    return processing_decision(user=user, purpose=purpose).allowed


def require_processing(*, user, purpose: str) -> None:
    """Raise :class:`ProcessingBlocked` unless ``purpose`` may use ``user``'s data now."""
    decision = processing_decision(user=user, purpose=purpose)
    if not decision.allowed:
        raise ProcessingBlocked(purpose=purpose, reason=decision.reason)


def without_blocked(queryset, *, purpose: str, user_field: str = "user_id"):
    """``queryset`` without the rows of people whose data ``purpose`` may not use now: the gate
    of :func:`processing_decision` for many people at once, in the query (flat in their
    number). Restriction and standing objections are applied as the purpose's flags say; a
    purpose that needs consent or is barred to minors must be decided person by person."""
    spec = get_purpose(purpose)
    if spec.basis == LawfulBasis.CONSENT or spec.blocked_for_minors:
        raise ValueError(f"{purpose!r} is decided person by person: use processing_allowed")
    if not spec.allowed_while_restricted:
        queryset = queryset.exclude(**{f"{user_field}__in": restricted_user_ids()})
    if spec.objectable and not spec.objection_overridden:
        queryset = queryset.exclude(**{f"{user_field}__in": objecting_user_ids(purpose=purpose)})
    return queryset
