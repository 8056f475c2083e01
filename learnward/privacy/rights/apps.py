from django.apps import AppConfig


class RightsConfig(AppConfig):
    """The request desk, self-service rights, export and erasure services."""

    name = "learnward.privacy.rights"
    label = "privacy_rights"
    verbose_name = "Data subject rights"
