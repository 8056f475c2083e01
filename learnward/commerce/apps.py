from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "learnward.commerce"
    label = "commerce"
    verbose_name = "Sales"

    def ready(self) -> None:
        from learnward.catalog.extensions import register_card_facts
        from learnward.core.periodic import register_daily_job
        from learnward.learning import extensions

        from . import hooks

        register_daily_job("commerce_daily")
        extensions.register_enrolment_gate("commerce", hooks.enrolment_gate)
        extensions.register_course_page_section("commerce", hooks.course_page_section)
        register_card_facts("commerce", hooks.card_prices)
