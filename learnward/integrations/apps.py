from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "learnward.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from learnward.core import events
        from learnward.core.periodic import register_daily_job

        from . import listeners

        for event in listeners.WEBHOOK_EVENTS:
            events.subscribe(
                event, listeners.on_webhook_event, key=f"integrations.webhooks.{event}"
            )
        for event in listeners.XAPI_EVENTS:
            events.subscribe(event, listeners.on_xapi_event, key=f"integrations.xapi.{event}")
        # A safety net for a backend that cannot run tasks later: sends whatever is due.
        register_daily_job("integrations_send_due")
