from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    name = "learnward.classes"
    label = "classes"
    verbose_name = _("Classes and sessions")

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job
        from learnward.learning import extensions

        from . import hooks, selectors

        extensions.register_completion_requirement(
            "classes_attendance",
            is_met=selectors.attendance_rule_met,
            next_step=hooks.attendance_next_step,
        )
        extensions.register_course_page_section("classes", hooks.course_page_section)
        register_daily_job("send_session_reminders")
