from django.apps import AppConfig


class CommunicationsConfig(AppConfig):
    name = "learnward.communications"
    label = "communications"
