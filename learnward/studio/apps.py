from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "learnward.studio"
    label = "studio"
    verbose_name = "Authoring studio"
