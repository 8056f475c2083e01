from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "learnward.certificates"
    label = "certificates"

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job

        register_daily_job("send_expiry_reminders")

        from learnward.learning import extensions

        from . import hooks
        from .services import certificate_issue_for_completion

        extensions.register_completion_follower("certificates", certificate_issue_for_completion)
        extensions.register_course_page_section("certificates", hooks.course_page_section)
        extensions.register_primary_action("certificates", hooks.primary_action)
