"""``{% supervisory_authority as authority %}``: the authority a learner may complain to, in the
active language, for templates of apps below records (the rights pages and their emails), which
may not import :mod:`learnward.privacy.records.authority` themselves."""

from django import template

from learnward.privacy.records.authority import supervisory_authority as _authority

register = template.Library()


@register.simple_tag
def supervisory_authority() -> dict:
    return _authority()
