from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The registry: taxonomy, purposes, declarations and the engines that walk them."""

    name = "learnward.privacy.registry"
    label = "privacy_registry"
    verbose_name = "Privacy registry"

    def ready(self) -> None:
        # Every app declares its models in its own privacy.py; load them all once.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")
