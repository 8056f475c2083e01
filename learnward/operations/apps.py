from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Backup and restore: the commands an operator runs; no models."""

    name = "learnward.operations"
    label = "operations"
    verbose_name = "Operations"
