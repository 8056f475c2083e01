from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The notification centre: in-app notifications, email (now or daily) and web push."""

    name = "learnward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        from . import kinds

        kinds.register_generic_kinds()
        register_daily_job("send_notification_digests")
