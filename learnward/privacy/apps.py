from django.apps import AppConfig


class PrivacyHistoryConfig(AppConfig):
    """Holds the migrations that created the privacy tables before they moved to the privacy.*
    apps (registry, consent, rights, retention, records). It has no models: its second migration
    hands each table over to its new app without touching the data. Keep it installed, so an
    older database migrates forward and a new one is built the same way."""

    name = "learnward.privacy"
    label = "privacy"
    verbose_name = "Privacy (migration history)"
