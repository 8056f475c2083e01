"""The one fixed taxonomy of data categories, modelled on fideslang.

A field's category says what kind of personal data it holds. Special categories (UK GDPR Art. 9)
are marked, and ``identifying`` marks the categories that single a person out directly, which the
AI redactor and the erasure completeness test rely on.
"""

from dataclasses import dataclass


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
    DataCategory("user.name", "Name", identifying=True),
    DataCategory("user.contact.email", "Email address", identifying=True),
    DataCategory("user.contact.phone_number", "Phone number", identifying=True),
    DataCategory("user.contact.address.postal_code", "Postcode", identifying=True),
    DataCategory("user.contact.address", "Postal address", identifying=True),
    DataCategory("user.demographic.date_of_birth", "Date of birth", identifying=True),
    DataCategory("user.demographic.gender", "Gender"),
    DataCategory("user.demographic.age_range", "Age range"),
    DataCategory("user.demographic.ethnicity", "Racial or ethnic origin", special=True),
    DataCategory(
        "user.health_and_medical", "Health, disability or learning difficulty", special=True
    ),
    DataCategory("user.unique_id", "Account identifier"),
    DataCategory("user.account.settings", "Account settings and status"),
    DataCategory("user.preference.language", "Language preference"),
    DataCategory("user.account.role", "Staff role"),
    DataCategory("user.authorization.credentials", "Password hash or secret", identifying=False),
    DataCategory("system.authentication", "Authentication and security records"),
    DataCategory("user.device.ip_address", "IP address"),
    DataCategory("user.device.browser", "Browser and device information"),
    DataCategory("user.device.cookie_id", "Browser identifier"),
    DataCategory("user.behavior.learning_activity", "Learning activity"),
    DataCategory("user.behavior.browsing_history", "Pages visited"),
    DataCategory("user.assessment.answers", "Assessment answers"),
    DataCategory("user.assessment.results", "Assessment results"),
    DataCategory("user.credential.certificate", "Certificates awarded"),
    DataCategory("user.content.message", "Messages you sent us"),
    DataCategory("user.content.reflection", "Reflections and CPD notes"),
    DataCategory("user.content.ai_interaction", "Text sent to and received from AI features"),
    DataCategory("user.consent", "Consent and preference records"),
    DataCategory("user.communications", "Emails we sent you"),
    DataCategory("user.rights_request", "Data protection requests"),
    DataCategory("user.session", "Session data"),
    DataCategory("user.audit", "Records of actions on your account"),
    DataCategory("user.guardian.contact", "Guardian's email address", identifying=True),
    # fideslang's user.workplace: the organisation someone belongs to through us, their
    # department and their role there (member or manager).
    DataCategory("user.workplace", "Employer, department and role at work"),
    # "We are obliged to keep your billing data for a maximum of 7 years" (accounting and tax).
    DataCategory("user.financial", "Payment and billing records", max_retention_months=84),
    # The community (learnward.community): profile, posts, mentions, reports, suspensions.
    DataCategory("user.content.community", "Community profile, posts and reports"),
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
