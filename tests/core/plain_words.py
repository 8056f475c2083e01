"""What no page a learner or the public can reach may show: a command to run (``learnward``
followed by one of the site's management commands) or a raw data-category key (``user.name``,
``user.contact.email``, ``system.authentication``...). Pages show labels ("Name, Email address")
and say what happens ("deleted automatically after 14 days").

:func:`plain_words_problems` reads what a person sees: the text of the page and the attributes
read out or shown (alt, title, aria-label, placeholder, value of buttons), never scripts, styles
or the values of form fields sent back to the server.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}


@cache
def _command_pattern() -> re.Pattern:
    from django.core.management import get_commands

    names = sorted(get_commands(), key=len, reverse=True)
    return re.compile(
        r"\blearnward\s+(" + "|".join(re.escape(n) for n in names) + r")(?![\w-])",
        re.IGNORECASE,
    )


@cache
def _category_pattern() -> re.Pattern:
    from learnward.privacy.registry.taxonomy import CATEGORIES

    keys = sorted(CATEGORIES, key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name, value in attrs:
            if value and (name in SHOWN_ATTRIBUTES or (name == "value" and tag == "button")):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def plain_words_problems(html: str) -> list[str]:
    """Each command or category key the page shows, with a little of the text around it."""
    text = visible_text(html)
    problems = []
    for pattern, what in ((_command_pattern(), "a command"), (_category_pattern(), "a key")):
        for match in pattern.finditer(text):
            start, end = max(match.start() - 40, 0), match.end() + 40
            problems.append(f"{what} {match.group(0)!r}: …{text[start:end]}…")
    return problems
