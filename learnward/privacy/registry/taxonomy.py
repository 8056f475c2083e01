"""The one fixed taxonomy of data categories, modelled on fideslang.

A field's category says what kind of personal data it holds. Special categories (UK GDPR Art. 9)
are marked, and ``identifying`` marks the categories that single a person out directly, which the
AI redactor and the erasure completeness test rely on.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DataCategory:
    key: str
    label: str
    special: bool = False
    identifying: bool = False
    # The longest any model may keep this category, whatever the provider sets (a promise the
    # notice makes for the category as a whole); None: no ceiling beyond each rule's own.
    max_retention_months: int | None = None


NOT_PERSONAL = "not_personal"

_CATEGORIES = [
    DataCategory("user.name", _("Name"), identifying=True),
    DataCategory("user.contact.email", _("Email address"), identifying=True),
    DataCategory("user.contact.phone_number", _("Phone number"), identifying=True),
    DataCategory("user.contact.address.postal_code", _("Postcode"), identifying=True),
    DataCategory("user.contact.address", _("Postal address"), identifying=True),
    DataCategory("user.demographic.date_of_birth", _("Date of birth"), identifying=True),
    DataCategory("user.demographic.gender", _("Gender")),
    DataCategory("user.demographic.age_range", _("Age range")),
    DataCategory("user.demographic.ethnicity", _("Racial or ethnic origin"), special=True),
    DataCategory(
        "user.health_and_medical", _("Health, disability or learning difficulty"), special=True
    ),
    DataCategory("user.unique_id", _("Account identifier")),
    DataCategory("user.account.settings", _("Account settings and status")),
    DataCategory("user.preference.language", _("Language preference")),
    DataCategory("user.account.role", _("Staff role")),
    DataCategory("user.authorization.credentials", _("Password hash or secret"), identifying=False),
    DataCategory("system.authentication", _("Authentication and security records")),
    DataCategory("user.device.ip_address", _("IP address")),
    DataCategory("user.device.browser", _("Browser and device information")),
    DataCategory("user.device.cookie_id", _("Browser identifier")),
    DataCategory("user.behavior.learning_activity", _("Learning activity")),
    DataCategory("user.behavior.browsing_history", _("Pages visited")),
    DataCategory("user.assessment.answers", _("Assessment answers")),
    DataCategory("user.assessment.results", _("Assessment results")),
    DataCategory("user.credential.certificate", _("Certificates awarded")),
    DataCategory("user.content.message", _("Messages you sent us")),
    DataCategory("user.content.reflection", _("Reflections and CPD notes")),
    DataCategory("user.content.ai_interaction", _("Text sent to and received from AI features")),
    DataCategory("user.consent", _("Consent and preference records")),
    DataCategory("user.communications", _("Emails we sent you")),
    DataCategory("user.rights_request", _("Data protection requests")),
    DataCategory("user.session", _("Session data")),
    DataCategory("user.audit", _("Records of actions on your account")),
    DataCategory("user.guardian.contact", _("Guardian's email address"), identifying=True),
    # fideslang's user.workplace: the organisation someone belongs to through us, their
    # department and their role there (member or manager).
    DataCategory("user.workplace", _("Employer, department and role at work")),
    # "We are obliged to keep your billing data for a maximum of 7 years" (accounting and tax).
    DataCategory("user.financial", _("Payment and billing records"), max_retention_months=84),
    # The community (learnward.community): profile, posts, mentions, reports, suspensions.
    DataCategory("user.content.community", _("Community profile, posts and reports")),
]

CATEGORIES: dict[str, DataCategory] = {c.key: c for c in _CATEGORIES}


def retention_ceiling(categories) -> tuple[int, str] | None:
    """The tightest ``max_retention_months`` among ``categories`` and that category's label."""
    limits = [
        (CATEGORIES[c].max_retention_months, CATEGORIES[c].label)
        for c in categories
        if c in CATEGORIES and CATEGORIES[c].max_retention_months is not None
    ]
    return min(limits) if limits else None


def category(key: str) -> DataCategory:
    try:
        return CATEGORIES[key]
    except KeyError as exc:
        raise ValueError(f"{key!r} is not a data category in learnward.privacy.taxonomy") from exc
