from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learnward.learning"
    label = "learning"
