from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "learnward.organisations"
    label = "organisations"
    verbose_name = "Organisations"
