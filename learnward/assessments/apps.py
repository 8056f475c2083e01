from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "learnward.assessments"
    label = "assessments"

    def ready(self) -> None:
        from learnward.learning import extensions

        from . import hooks
        from .selectors import assessment_passed

        extensions.register_completion_requirement(
            "assessments", is_met=assessment_passed, next_step=hooks.assessment_next_step
        )
        extensions.register_course_page_section("assessments", hooks.course_page_section)
        extensions.register_tutor_learner_columns("assessments", hooks.tutor_learner_columns)
        extensions.register_tutor_learner_section("assessments", hooks.tutor_learner_section)
