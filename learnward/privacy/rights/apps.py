from django.apps import AppConfig


class RightsConfig(AppConfig):
    """The request desk, self-service rights, export and erasure services."""

    name = "learnward.privacy.rights"
    label = "privacy_rights"
    verbose_name = "Data subject rights"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        register_daily_job("cleanup_exports")
        register_daily_job("process_erasures")
        register_daily_job("vacuum_erased")
