from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "learnward.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job
        from learnward.privacy.rights.extensions import register_my_data_section

        from .my_data import employer_view

        register_daily_job("expire_invitations")
        register_daily_job("organisations_digest")
        register_my_data_section("organisations", employer_view)
