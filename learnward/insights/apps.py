from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "learnward.insights"
    label = "insights"
    verbose_name = "Provider dashboard"
