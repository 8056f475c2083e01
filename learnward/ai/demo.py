"""Demo data: make sure every demo lesson is searchable by "Ask the course" (idempotent)."""

from .index import passages_rebuild_all


def load(result: dict) -> None:
    # Lessons loaded in bulk skip the post_save signal; rebuilding is always safe.
    result["lesson_passages"] = passages_rebuild_all()
