"""The public catalog. The course page, which shows the learner's own progress, belongs to the
learning app (its views.course_detail); learnward/urls.py puts it under this app's namespace."""

from __future__ import annotations

from django.shortcuts import render

from .extensions import card_facts
from .selectors import course_list_published


def course_list(request):
    courses = list(course_list_published())
    # Facts other apps add (the price of a course on sale), one lookup for every card.
    facts = card_facts(courses=courses)
    cards = [(course, facts.get(course.pk, [])) for course in courses]
    return render(request, "catalog/course_list.html", {"courses": courses, "cards": cards})
