from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class StudioConfig(AppConfig):
    name = "learnward.studio"
    label = "studio"
    verbose_name = gettext_lazy("Authoring studio")
