from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "learnward.sso"
    label = "sso"
    verbose_name = "Single sign-on"
