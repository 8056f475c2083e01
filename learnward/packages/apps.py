from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "learnward.packages"
    label = "packages"
    verbose_name = "SCORM and cmi5 packages"

    def ready(self) -> None:
        from learnward.learning import extensions

        from . import hooks

        extensions.register_lesson_body("packages", hooks.lesson_body)
        extensions.register_completion_requirement(
            "packages", is_met=hooks.package_assessment_met, next_step=hooks.package_next_step
        )
