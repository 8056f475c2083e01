from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "learnward.lti"
    label = "lti"
    verbose_name = "LTI 1.3 tool"

    def ready(self) -> None:
        from learnward.core import events

        from .listeners import on_assessment_result, on_course_completed

        events.subscribe(events.COURSE_COMPLETED, on_course_completed, key="lti.course_completed")
        events.subscribe(events.ASSESSMENT_PASSED, on_assessment_result, key="lti.assessment")
        events.subscribe(events.ASSESSMENT_FAILED, on_assessment_result, key="lti.assessment")
