from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The privacy notice, records of processing, processors and breaches."""

    name = "learnward.privacy.records"
    label = "privacy_records"
    verbose_name = "Records of processing"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        register_daily_job("privacy_notice")
