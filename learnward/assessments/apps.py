from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "learnward.assessments"
    label = "assessments"
