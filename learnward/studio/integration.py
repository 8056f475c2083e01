"""Where the studio asks the media library about a draft before publishing."""

from __future__ import annotations

from learnward.media.services import media_publish_problems


def media_problems(*, course, markdown_texts: list[str]) -> list[str]:
    """Human messages about media the draft uses that is not ready (alt text, captions, media
    from another course's library)."""
    return media_publish_problems(course=course, markdown_texts=markdown_texts)
