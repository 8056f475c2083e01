import pytest
from django.test import Client
from django.urls import reverse

from learnward.accounts.models import User
from learnward.catalog.models import Course, CourseVersion, Lesson
from learnward.core.demo import load_demo
from learnward.studio.demo import NEW_LESSON_TITLE
from learnward.studio.models import DraftLesson
from learnward.studio.selectors import draft_changes

pytestmark = pytest.mark.django_db


def test_the_demo_author_finds_a_draft_with_unpublished_changes():
    load_demo()
    load_demo()  # idempotent
    course = Course.objects.get(slug="manual-handling")
    assert course.version == 1
    assert CourseVersion.objects.filter(course=course).count() == 1
    changes = draft_changes(course=course)
    assert len(changes) == 2
    assert any(NEW_LESSON_TITLE in change for change in changes)
    assert DraftLesson.objects.filter(module__course=course, title=NEW_LESSON_TITLE).count() == 1
    # learners do not see it
    assert not Lesson.objects.filter(title=NEW_LESSON_TITLE).exists()
    author = User.objects.get(email="author@learnward.test")
    client = Client()
    client.force_login(author)
    home = client.get(reverse("studio:home")).content.decode()
    assert "Unpublished changes" in home
    outline = client.get(reverse("studio:outline", args=[course.slug])).content.decode()
    assert "Publish version 2" in outline and NEW_LESSON_TITLE in outline
