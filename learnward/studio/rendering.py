"""The one place the studio turns lesson Markdown into HTML: the function learners get."""

from __future__ import annotations

from learnward.core.markdown import render_markdown


def render_lesson(markdown: str, *, course) -> str:
    """Safe HTML for a lesson body, exactly as the learner's lesson page renders it."""
    return render_markdown(markdown)
