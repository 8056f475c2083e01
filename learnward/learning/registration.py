"""Awarding-body registration details: which fields a course asks for, and their rules.

A course names its awarding body and, for each registration field, whether the body requires
it, accepts it optionally, or does not want it. Enrolment asks for exactly those fields.
Ethnicity and disability are special categories (UK GDPR Art. 9): optional unless required, and
stored only with explicit consent whose exact wording is kept with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learnward.catalog.models import SPECIAL_CATEGORY_FIELDS, Course, FieldRequirement
from learnward.core.errors import ApplicationError

from .models import RegistrationDetails

FIELD_LABELS = {
    "date_of_birth": gettext_lazy("Date of birth"),
    "home_postcode": gettext_lazy("Home postcode"),
    "gender": gettext_lazy("Gender"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "disability": gettext_lazy("Disability or learning difficulty"),
}
_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]$")


class RegistrationInvalid(ApplicationError):
    """The registration details do not meet the course's rules; nothing was stored."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))  # for logs
        self.errors = errors
        self.message = " ".join(errors.values())  # fit to show: the problems, without field names


def asked_fields(course: Course) -> dict[str, str]:
    """Field name -> "required" | "optional", for the fields this course's body asks for."""
    return course.registration_requirements()


def special_fields_asked(course: Course) -> list[str]:
    return [name for name in asked_fields(course) if name in SPECIAL_CATEGORY_FIELDS]


def consent_wording(course: Course) -> str:
    """The explicit-consent statement shown next to the special-category questions.

    The exact text the learner agreed to is stored with their answers, so it must not depend
    on anything but the course, its awarding body and the language it is read in (the learner
    agrees to it in the language of the page, and that wording is what is stored).
    """
    body = course.awarding_body
    asked = special_fields_asked(course)
    if asked == ["ethnicity"]:
        what = _("my ethnicity")
    elif asked == ["disability"]:
        what = _("any disability or learning difficulty I declare")
    else:
        what = _("my ethnicity and any disability or learning difficulty I declare")
    return _(
        "I explicitly consent to %(provider)s recording %(what)s and passing it to "
        "%(body)s, the awarding body for “%(course)s”, only so that it can register "
        "me for this programme. I understand this is special category data and that I can "
        "withdraw my consent at any time by contacting %(dpo_email)s."
    ) % {
        "provider": settings.PROVIDER_NAME,
        "what": what,
        "body": body.name,
        "course": course.title,
        "dpo_email": settings.DPO_EMAIL,
    }


def normalise_postcode(value: str) -> str:
    return " ".join(value.upper().split())


def validate_registration(
    *, course: Course, data: Mapping[str, Any], consent_text: str
) -> dict[str, Any]:
    """Check ``data`` against the course's rules; return the values to store.

    Raises :class:`RegistrationInvalid` naming each problem. Fields the course does not ask for
    are refused, not ignored, so nothing beyond what the awarding body needs is ever stored.
    """
    asked = asked_fields(course)
    errors: dict[str, str] = {}
    given = {k: v for k, v in data.items() if k != "disability_details"}
    extra = sorted(set(given) - set(asked))
    if extra:
        errors["__all__"] = _("This course's awarding body does not ask for: %(fields)s.") % {
            "fields": ", ".join(str(FIELD_LABELS.get(k, k)) for k in extra)
        }
    if "disability_details" in data and "disability" not in asked:
        errors["__all__"] = _("This course's awarding body does not ask about disability.")
    values: dict[str, Any] = {}
    for name, requirement in asked.items():
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if requirement == FieldRequirement.REQUIRED:
                errors[name] = _("%(field)s: the awarding body requires an answer.") % {
                    "field": FIELD_LABELS[name]
                }
            values[name] = None if name == "date_of_birth" else ""
            continue
        problem = _check_value(name, value)
        if problem:
            errors[name] = problem
            continue
        values[name] = normalise_postcode(value) if name == "home_postcode" else value
    if "disability" in asked:
        details = str(data.get("disability_details") or "").strip()
        if details and values.get("disability") != RegistrationDetails.Disability.DECLARED:
            errors["disability_details"] = _(
                "Describe a disability or learning difficulty only if you choose to declare one."
            )
        if len(details) > 2000:
            errors["disability_details"] = _("Keep the description to 2,000 characters or fewer.")
        values["disability_details"] = details
    special_given = [n for n in SPECIAL_CATEGORY_FIELDS if values.get(n)]
    consent_text = (consent_text or "").strip()
    if special_given and not consent_text:
        errors["consent"] = _(
            "We can only record ethnicity or disability information with your explicit "
            "consent. Tick the consent box, or leave those questions blank if the awarding "
            "body does not require them."
        )
    elif special_given and consent_text != consent_wording(course):
        errors["consent"] = _(
            "The consent statement has changed; please read it and tick it again."
        )
    if errors:
        raise RegistrationInvalid(errors)
    if special_given:
        values["special_category_consent_text"] = consent_text
        values["special_category_consent_at"] = timezone.now()
    else:
        values["special_category_consent_text"] = ""
        values["special_category_consent_at"] = None
    return values


def _check_value(name: str, value: Any) -> str:
    if name == "date_of_birth":
        if not isinstance(value, date):
            return _("Date of birth: enter a real date.")
        today = timezone.localdate()
        if value >= today or value.year < today.year - 120:
            return _("Date of birth: enter a date in the past.")
        return ""
    if name == "home_postcode":
        if not _POSTCODE.match(normalise_postcode(str(value))):
            return _("Home postcode: enter a postcode such as SW1A 1AA.")
        return ""
    choices = {
        "gender": RegistrationDetails.Gender,
        "ethnicity": RegistrationDetails.Ethnicity,
        "disability": RegistrationDetails.Disability,
    }[name]
    if value not in choices.values:
        return _("%(field)s: choose one of the options.") % {"field": FIELD_LABELS[name]}
    return ""
