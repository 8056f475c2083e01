from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TransferConfig(AppConfig):
    name = "learnward.transfer"
    label = "transfer"
    verbose_name = gettext_lazy("Course import and export")
