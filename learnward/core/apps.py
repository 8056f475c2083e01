from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learnward.core"
    label = "core"
    verbose_name = "Site"
