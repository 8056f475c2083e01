"""The component gallery (/staff/design/): each example is a small template under
``core/gallery/``, shown rendered and as its own source, so the markup shown is the markup used."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import get_template

SECTIONS = [
    (
        "tokens",
        "Colours and type",
        "The design tokens: brand colours from the Branding page, "
        "the neutral palette, the type scale and spacing.",
    ),
    (
        "buttons",
        "Buttons",
        "One primary action per page; secondary for the others; danger only "
        "for actions that delete or cannot be undone.",
    ),
    (
        "panels",
        "Status panels and tags",
        "A panel states the outcome of a page; a tag labels the state of one item.",
    ),
    ("cards", "Cards", "Courses and other items with a picture, facts and actions."),
    ("tables", "Tables", "Wrap a table to let it scroll on a phone, or stack its rows."),
    ("progress", "Progress", "The native progress element, always with the figure in words."),
    ("summary", "Summary lists", "Facts about one thing, label and value."),
    (
        "disclosure",
        "Disclosure and tabs",
        "Hide detail until it is asked for; tabs are links, so they work without JavaScript.",
    ),
    (
        "forms",
        "Form controls",
        "Labels above fields, hints under labels, errors in red with a "
        "summary at the top of the form.",
    ),
    ("dates", "Date input", "Day, month and year as three boxes: no calendar widget to fight."),
    ("pagination", "Pagination", "Previous and next with the page numbers between."),
    ("empty", "Empty states", "Say what will appear here and how to make it appear."),
    ("layout", "Layout", "Page header, sidebar layout, stack and cluster."),
]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    description: str
    template: str

    @property
    def source(self) -> str:
        return get_template(self.template).template.source.strip()


def gallery_sections() -> list[Section]:
    return [
        Section(slug, title, description, f"core/gallery/{slug}.html")
        for slug, title, description in SECTIONS
    ]
