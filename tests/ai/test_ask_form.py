"""The "Ask about this course" form on course and lesson pages."""

from django.urls import reverse


def test_course_and_lesson_pages_offer_the_form_to_enrolled_learners(client, learner, course):
    from learnward.catalog.models import Lesson

    client.force_login(learner)
    action = reverse("ai:ask", args=[course.slug])
    html = client.get(course.get_absolute_url()).content.decode()
    assert "Ask about this course" in html and f'action="{action}"' in html
    lesson = Lesson.objects.filter(module__course=course).first()
    html = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk])).content.decode()
    assert f'action="{action}?lesson={lesson.pk}"' in html
    assert "found by searching its lessons" in html  # no provider: passages only


def test_the_form_says_when_ai_answers_are_on(client, learner, course, ai_on):
    client.force_login(learner)
    html = client.get(course.get_absolute_url()).content.decode()
    assert "a short answer written by an AI service (Example AI Ltd)" in html


def test_not_shown_to_visitors_who_are_not_enrolled(client, make_user, course):
    html = client.get(course.get_absolute_url()).content.decode()
    assert "Ask about this course" not in html
    client.force_login(make_user(display_name="Browsing Person"))
    assert "Ask about this course" not in client.get(course.get_absolute_url()).content.decode()
