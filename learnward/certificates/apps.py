from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "learnward.certificates"
    label = "certificates"
