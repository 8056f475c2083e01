"""The login page's other ways in (the project's login template loads this)."""

from django import template

register = template.Library()


@register.simple_tag
def sso_social_providers():
    from learnward.sso.views import social_providers

    return social_providers()
