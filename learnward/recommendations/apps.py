from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "learnward.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"
