from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "learnward.evaluations"
    label = "evaluations"
    verbose_name = "Course evaluations"
