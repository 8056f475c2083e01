from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "learnward.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from . import notifying

        notifying.register()
