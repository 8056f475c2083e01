"""Where the apps above the catalog add facts to its course cards, so the catalog imports none of
them.

``register_card_facts(name, build)``: ``build(*, courses)`` gets the courses about to be shown
(cards on the catalog, the dashboard...) and returns ``{course_id: [CardFact, ...]}`` for those it
has something to say about, in one or two queries whatever the number of courses. Commerce
registers the price of courses on sale. Registering again under the same name replaces the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CardFact:
    """One small fact on a course card: ``label`` (for screen readers and the course page) and
    ``value`` as people read it ("£120.00")."""

    label: str
    value: str


CardFacts = Callable[..., dict[int, list[CardFact]]]
_CARD_FACTS: dict[str, CardFacts] = {}


def register_card_facts(name: str, build: CardFacts) -> None:
    _CARD_FACTS[name] = build


def card_facts(*, courses: Iterable) -> dict[int, list[CardFact]]:
    """Every registered app's facts for ``courses``, by course id, in registration order."""
    courses = list(courses)
    facts: dict[int, list[CardFact]] = {course.pk: [] for course in courses}
    if not courses:
        return facts
    for build in _CARD_FACTS.values():
        for course_id, items in build(courses=courses).items():
            facts.setdefault(course_id, []).extend(items)
    return facts
