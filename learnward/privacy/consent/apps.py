from django.apps import AppConfig


class ConsentConfig(AppConfig):
    """Consent records, cookies, the processing gate, restriction and objection state."""

    name = "learnward.privacy.consent"
    label = "privacy_consent"
    verbose_name = "Consent and cookies"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .cookies import cookie_definition_changed
        from .models import CookieDefinition

        # Pages keep a short-lived copy of the optional cookies (cookies.py): an edit in this
        # process is seen on its next request.
        post_save.connect(
            cookie_definition_changed, sender=CookieDefinition, dispatch_uid="cookie-register-saved"
        )
        post_delete.connect(
            cookie_definition_changed,
            sender=CookieDefinition,
            dispatch_uid="cookie-register-deleted",
        )
