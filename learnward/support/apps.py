from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "learnward.support"
    label = "support"
