from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "learnward.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        from . import receivers

        register_daily_job("expire_guardian_requests")
        post_migrate.connect(
            receivers.create_roles_after_migrate,
            sender=self,
            dispatch_uid="learnward.accounts.create_roles",
        )
