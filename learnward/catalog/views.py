"""The public catalog. The course page, which shows the learner's own progress, belongs to the
learning app (its views.course_detail); learnward/urls.py puts it under this app's namespace."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from .extensions import card_facts
from .selectors import course_languages_published, course_list_published


def course_list(request):
    """The catalog; ``?language=nl`` shows only courses taught in Dutch (an unknown code shows
    every course, as if no filter were chosen)."""
    languages = course_languages_published()
    language = request.GET.get("language", "")
    if language not in languages:
        language = ""
    courses = list(course_list_published(language=language))
    # Facts other apps add (the price of a course on sale), one lookup for every card.
    facts = card_facts(courses=courses)
    cards = [(course, facts.get(course.pk, [])) for course in courses]
    names = dict(settings.LANGUAGES)
    context = {
        "courses": courses,
        "cards": cards,
        # The filter appears only when courses are taught in more than one language.
        "language_options": [(code, names[code]) for code in languages]
        if len(languages) > 1
        else [],
        "language": language,
    }
    return render(request, "catalog/course_list.html", context)
