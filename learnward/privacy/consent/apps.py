from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """Consent records, cookies, the processing gate, restriction and objection state."""

    name = "learnward.privacy.consent"
    label = "privacy_consent"
    verbose_name = "Consent and cookies"
