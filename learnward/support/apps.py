from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "learnward.support"
    label = "support"

    def ready(self) -> None:
        from learnward.learning import extensions

        from . import hooks

        extensions.register_tutor_learner_section("support", hooks.tutor_learner_section)
