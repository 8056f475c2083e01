from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "learnward.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        # Every app declares its models in its own privacy.py; load them all once.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")
