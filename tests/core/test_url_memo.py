"""{% url %} remembers argument-free links per process, and nothing else changes."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.urls.base import get_script_prefix

from learnward.core.templatetags.url_memo import MemoURLNode, _memo


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_every_template_gets_the_remembering_tag_without_loading_it():
    template = engines["django"].from_string("{% url 'catalog:list' %}")
    assert isinstance(template.template.nodelist[0], MemoURLNode)


def test_links_are_the_same_as_reverse_and_remembered():
    _memo.clear()
    assert render("{% url 'catalog:list' %}") == reverse("catalog:list")
    assert render("{% url 'catalog:list' %}") == reverse("catalog:list")
    assert any(key[0] == "catalog:list" for key in _memo)


def test_arguments_variables_and_as_are_reversed_each_time():
    _memo.clear()
    assert render("{% url 'catalog:course' slug %}", slug="a") == "/courses/a/"
    assert render("{% url 'catalog:course' slug %}", slug="b") == "/courses/b/"
    assert render("{% url name %}", name="catalog:list") == "/courses/"
    assert render("{% url 'catalog:list' as link %}[{{ link }}]") == "[/courses/]"
    assert not _memo


def test_a_script_prefix_is_part_of_the_key():
    before = get_script_prefix()
    try:
        set_script_prefix("/learn/")
        assert render("{% url 'catalog:list' %}") == "/learn/courses/"
        set_script_prefix("/")
        assert render("{% url 'catalog:list' %}") == "/courses/"
    finally:
        set_script_prefix(before)


def test_an_unknown_name_still_fails_loudly():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")


def test_changed_settings_forget_the_links(settings):
    render("{% url 'catalog:list' %}")
    settings.ROOT_URLCONF = "learnward.urls"
    assert not _memo
