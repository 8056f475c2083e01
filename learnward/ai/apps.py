from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "learnward.ai"
    label = "ai"
    verbose_name = "AI-assisted features"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps lesson passages in step with lessons)
