from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The privacy notice, records of processing, processors and breaches."""

    name = "learnward.privacy.records"
    label = "privacy_records"
    verbose_name = "Records of processing"
