from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "learnward.transfer"
    label = "transfer"
    verbose_name = "Course import and export"
