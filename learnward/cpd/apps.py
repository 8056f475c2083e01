from django.apps import AppConfig


class CpdConfig(AppConfig):
    name = "learnward.cpd"
    label = "cpd"
    verbose_name = "CPD record"
