from django.apps import AppConfig


class ClassesConfig(AppConfig):
    name = "learnward.classes"
    label = "classes"
    verbose_name = "Classes and sessions"
