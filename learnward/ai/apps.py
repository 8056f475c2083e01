from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AiConfig(AppConfig):
    name = "learnward.ai"
    label = "ai"
    verbose_name = _("AI-assisted features")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (keeps lesson passages in step with lessons)
