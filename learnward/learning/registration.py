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

from learnward.catalog.models import SPECIAL_CATEGORY_FIELDS, Course, FieldRequirement
from learnward.core.errors import ApplicationError

from .models import RegistrationDetails

FIELD_LABELS = {
    "date_of_birth": "Date of birth",
    "home_postcode": "Home postcode",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "disability": "Disability or learning difficulty",
}
_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,8}[A-Z0-9]$")


class RegistrationInvalid(ApplicationError):
    """The registration details do not meet the course's rules; nothing was stored."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
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
    on anything but the course and its awarding body.
    """
    body = course.awarding_body
    what = " and ".join(
        {
            "ethnicity": "my ethnicity",
            "disability": "any disability or learning difficulty I declare",
        }[name]
        for name in special_fields_asked(course)
    )
    return (
        f"I explicitly consent to {settings.PROVIDER_NAME} recording {what} and passing it to "
        f"{body.name}, the awarding body for “{course.title}”, only so that it can register "
        f"me for this programme. I understand this is special category data and that I can "
        f"withdraw my consent at any time by contacting {settings.DPO_EMAIL}."
    )


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
        errors["__all__"] = (
            "This course's awarding body does not ask for: "
            + ", ".join(FIELD_LABELS.get(k, k) for k in extra)
            + "."
        )
    if "disability_details" in data and "disability" not in asked:
        errors["__all__"] = "This course's awarding body does not ask about disability."
    values: dict[str, Any] = {}
    for name, requirement in asked.items():
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            if requirement == FieldRequirement.REQUIRED:
                errors[name] = f"{FIELD_LABELS[name]}: the awarding body requires an answer."
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
            errors["disability_details"] = (
                "Describe a disability or learning difficulty only if you choose to declare one."
            )
        if len(details) > 2000:
            errors["disability_details"] = "Keep the description to 2,000 characters or fewer."
        values["disability_details"] = details
    special_given = [n for n in SPECIAL_CATEGORY_FIELDS if values.get(n)]
    consent_text = (consent_text or "").strip()
    if special_given and not consent_text:
        errors["consent"] = (
            "We can only record ethnicity or disability information with your explicit "
            "consent. Tick the consent box, or leave those questions blank if the awarding "
            "body does not require them."
        )
    elif special_given and consent_text != consent_wording(course):
        errors["consent"] = "The consent statement has changed; please read it and tick it again."
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
            return "Date of birth: enter a real date."
        today = timezone.localdate()
        if value >= today or value.year < today.year - 120:
            return "Date of birth: enter a date in the past."
        return ""
    if name == "home_postcode":
        if not _POSTCODE.match(normalise_postcode(str(value))):
            return "Home postcode: enter a postcode such as SW1A 1AA."
        return ""
    choices = {
        "gender": RegistrationDetails.Gender,
        "ethnicity": RegistrationDetails.Ethnicity,
        "disability": RegistrationDetails.Disability,
    }[name]
    if value not in choices.values:
        return f"{FIELD_LABELS[name]}: choose one of the options."
    return ""
