from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Retention that enforces itself, from the registry's rules."""

    name = "learnward.privacy.retention"
    label = "privacy_retention"
    verbose_name = "Retention"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        register_daily_job("retention")
