import pytest
from django.urls import reverse

from learnward.core.demo import load_demo
from learnward.packages.models import ContentPackage

pytestmark = pytest.mark.django_db


def test_demo_has_a_published_scorm_course_once(client):
    result = load_demo()
    load_demo()
    package = ContentPackage.objects.get()
    course = package.lesson.module.course
    assert package.standard == "scorm12" and package.is_whole_course and course.published
    assert package.uploaded_by.email == "author@learnward.test"
    assert result["package_lessons"][0]["slug"] == course.slug
    from learnward.accounts.models import User

    client.force_login(User.objects.get(email="learner@learnward.test"))
    client.post(reverse("learning:enrol", args=[course.slug]))
    page = client.get(reverse("learning:lesson", args=[course.slug, package.lesson.pk]))
    assert b'sandbox="allow-scripts allow-forms"' in page.content
