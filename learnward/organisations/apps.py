from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "learnward.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        register_daily_job("organisations_digest")
