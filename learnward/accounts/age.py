"""The age policy: who may sign up, and who needs a guardian's consent first.

``LEARNWARD_MINIMUM_AGE`` (default 16) is the youngest age that may hold an account at all.
``LEARNWARD_GUARDIAN_CONSENT_BELOW`` (default: the minimum age, so nobody) is the age below which
an applicant who is old enough still needs a parent or guardian to consent first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext as _

from learnward.core.dates import age_on as age_on


class AgeOutcome(StrEnum):
    OK = "ok"
    REFUSE = "refuse"
    GUARDIAN_REQUIRED = "guardian_required"


@dataclass(frozen=True)
class AgeDecision:
    outcome: AgeOutcome
    age: int
    minimum_age: int
    guardian_consent_below: int

    @property
    def allowed(self) -> bool:
        return self.outcome == AgeOutcome.OK

    @property
    def message(self) -> str:
        if self.outcome == AgeOutcome.REFUSE:
            return _(
                "You must be %(age)s or older to create an account. We have not kept any of the "
                "details you entered."
            ) % {"age": self.minimum_age}
        if self.outcome == AgeOutcome.GUARDIAN_REQUIRED:
            return _(
                "Because you are under %(age)s, a parent or guardian must agree before you can use "
                "an account. Enter their email address and we will ask them."
            ) % {"age": self.guardian_consent_below}
        return ""


def age_policy(date_of_birth: date, today: date) -> AgeDecision:
    """Decide whether someone born on ``date_of_birth`` may sign up on ``today``."""
    minimum = settings.MINIMUM_AGE
    guardian_below = settings.GUARDIAN_CONSENT_BELOW
    age = age_on(date_of_birth, today)
    if age < minimum:
        outcome = AgeOutcome.REFUSE
    elif age < guardian_below:
        outcome = AgeOutcome.GUARDIAN_REQUIRED
    else:
        outcome = AgeOutcome.OK
    return AgeDecision(
        outcome=outcome, age=age, minimum_age=minimum, guardian_consent_below=guardian_below
    )
