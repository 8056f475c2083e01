"""Where the studio asks the media library about a draft before publishing.

Until the media app lands this finds no problems; then it asks
``learnward.media.services.media_publish_problems`` (one line to change).
"""

from __future__ import annotations


def media_problems(*, course, markdown_texts: list[str]) -> list[str]:
    """Human messages about media the draft uses that is not ready (alt text, captions)."""
    return []
