"""The one place the studio turns lesson Markdown into HTML: the function learners get."""

from __future__ import annotations

from learnward.media.rendering import render_lesson_html


def render_lesson(markdown: str, *, course) -> str:
    """Safe HTML for a lesson body, exactly as the learner's lesson page renders it (embedded
    videos show their placeholder: the preview does not load other sites)."""
    return render_lesson_html(markdown, course=course)
