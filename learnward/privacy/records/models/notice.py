"""Published versions of the generated privacy notice, and who has seen which."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeVersion(models.Model):
    """A snapshot of the notice, published whenever its generated content changes."""

    number = models.PositiveIntegerField(unique=True)
    content_hash = models.CharField(max_length=64)
    content = models.JSONField()
    published_at = models.DateTimeField()
    material = models.BooleanField(
        default=True,
        help_text=_("Whether signed-in learners are told about this version at their next visit."),
    )
    # The English titles of the sections that changed (shown translated: they are msgids).
    changed_sections = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "privacy_noticeversion"
        ordering = ["-number"]

    def __str__(self) -> str:
        return _("Privacy notice version %(number)s") % {"number": self.number}

    def content_in(self, language: str | None) -> dict:
        """The notice in ``language``; English for a language the version was not published in
        (a version published before the translations)."""
        contents = self.content or {}
        if language in contents:
            return contents[language]
        return contents.get(settings.LANGUAGE_CODE, {})

    @property
    def changed_section_titles(self) -> list[str]:
        """The changed sections' titles in the active language."""
        from django.utils.translation import gettext

        return [gettext(title) for title in self.changed_sections]


class NoticeAcknowledgement(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_acknowledgements"
    )
    version = models.ForeignKey(NoticeVersion, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField()
    # The language the learner read the notice in (the version's content in that language).
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        db_table = "privacy_noticeacknowledgement"
        ordering = ["-seen_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="notice_seen_once_per_version")
        ]

    def __str__(self) -> str:
        return _("Notice acknowledgement %(pk)s") % {"pk": self.pk}
