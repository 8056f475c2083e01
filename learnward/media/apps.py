from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MediaConfig(AppConfig):
    name = "learnward.media"
    label = "media"
    verbose_name = gettext_lazy("Course media")

    def ready(self) -> None:
        from learnward.learning import extensions
        from learnward.privacy.consent import cookies

        from . import hooks

        # Markdown lessons render through the media app, so media:<id> references become
        # images, players, downloads and consented embeds.
        extensions.register_lesson_renderer("media", hooks.lesson_html)
        # The embed hosts' cookies, declared in the cookie register while an embed uses them.
        cookies.register_cookie_source("media_embeds", hooks.embed_cookies)
