from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "learnward.exams"
    label = "exams"
    verbose_name = _("Exams held by teachers")

    def ready(self) -> None:
        from learnward.core.periodic import register_daily_job
        from learnward.learning import extensions

        from .selectors import exam_next_step, exam_passed

        extensions.register_completion_requirement(
            "exams", is_met=exam_passed, next_step=exam_next_step
        )
        register_daily_job("exams_release")
