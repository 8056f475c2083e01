"""Plain-text email is never HTML-escaped; the HTML alternative always is.

The walk covers every ``templates/<app>/email/*.txt`` file there is, so a new template is tested
the day it is added, whether or not it remembers ``{% autoescape off %}``: ``core.mail`` renders
``.txt`` templates with autoescaping off itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from learnward.core.mail import build_email, render_plain_text

# Every email carries the provider's brand, which is read from the database.
pytestmark = pytest.mark.django_db

NAME = "Siobhán O'Brien & Sons <x>"
ESCAPED = "Siobhán O&#x27;Brien &amp; Sons &lt;x&gt;"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
EMAIL_TEMPLATES = sorted(
    path.relative_to(TEMPLATES).with_suffix("").as_posix()
    for path in TEMPLATES.glob("*/email/*.txt")
)


class Anything(str):
    """A value every variable in a template resolves to: ``user.display_name``, ``enquiry.name``,
    ``message.body`` and ``name`` all print the awkward name."""

    def __getattr__(self, attribute: str):
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return self


# Counts that choose a plural form ({% blocktranslate count %}) must be numbers.
COUNTS = {
    "hours",
    "days",
    "days_left",
    "minutes",
    "count",
    "months",
    "weeks",
    "seats",
    "number",
    "total",
}


class EveryVariable(dict):
    def __contains__(self, key) -> bool:
        return True

    def __missing__(self, key):
        return 2 if key in COUNTS else Anything(NAME)


def _context() -> dict:
    context = EveryVariable()
    context["provider_name"] = Anything(NAME)
    context.update({key: 2 for key in COUNTS})
    return context


def test_the_walk_finds_the_email_templates():
    # Every app's email templates, including the five privacy ones that once lacked
    # ``{% autoescape off %}`` and sent "Hello Siobhán O&#x27;Brien &amp; Sons,".
    assert len(EMAIL_TEMPLATES) >= 24
    for name in (
        "accounts/email/verify",
        "privacy/email/deletion_scheduled",
        "privacy/email/erased",
        "privacy/email/export_ready",
        "privacy/email/identity_check",
        "privacy/email/request_extended",
        "support/email/reply",
        "communications/email/mailing",
    ):
        assert name in EMAIL_TEMPLATES


@pytest.mark.parametrize("template", EMAIL_TEMPLATES)
def test_every_plain_text_email_prints_a_name_as_typed(template):
    message = build_email(
        to="a@example.test", subject="Hello", template=template, context=_context()
    )
    assert NAME in message.body
    for entity in ("&amp;", "&#x27;", "&lt;", "&gt;", "&quot;"):
        assert entity not in message.body
    for html, mimetype in message.alternatives:
        assert mimetype == "text/html"
        assert ESCAPED in html
        assert NAME not in html and "<x>" not in html


def test_a_new_template_without_autoescape_off_is_still_rendered_unescaped(settings, tmp_path):
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "notice.txt").write_text("Hello {{ name }},\n")
    (tmp_path / "new" / "notice.html").write_text("<p>Hello {{ name }},</p>\n")
    engine = {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine, *settings.TEMPLATES[1:]]
    message = build_email(
        to="a@x.test", subject="Hi", template="new/notice", context={"name": NAME}
    )
    assert message.body == f"Hello {NAME},\n"
    assert message.alternatives[0][0] == f"<p>Hello {ESCAPED},</p>\n"


def test_only_plain_text_templates_are_rendered_unescaped():
    with pytest.raises(ValueError, match="not a plain-text"):
        render_plain_text("privacy/email/breach_notice.html", {"name": NAME})
