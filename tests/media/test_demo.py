import io

import pytest
from django.urls import reverse
from PIL import Image

from learnward.catalog.models import Course, Lesson, MediaItem
from learnward.core.demo import load_demo
from learnward.media.services import media_publish_problems

pytestmark = pytest.mark.django_db


def test_the_demo_course_has_a_picture_a_captioned_video_and_a_pdf_once(client):
    load_demo()
    load_demo()
    course = Course.objects.get(slug="manual-handling")
    items = {item.kind: item for item in MediaItem.objects.filter(course=course)}
    assert MediaItem.objects.filter(course=course).count() == 3
    assert set(items) == {"image", "video", "file"}
    assert items["video"].captions and items["video"].duration_seconds > 0
    assert course.image == items["image"] and items["image"].alt_text
    lesson = Lesson.objects.get(module__course=course, title="A safe lifting technique")
    assert media_publish_problems(course=course, markdown_texts=[lesson.body_markdown]) == []
    from learnward.accounts.models import User

    # (The course is sold and asks for registration details: the author's preview shows it.)
    client.force_login(User.objects.get(email="author@learnward.test"))
    page = client.get(reverse("learning:lesson", args=[course.slug, lesson.pk])).content.decode()
    assert '<track kind="captions"' in page and "Lifting checklist</a>" in page
    client.logout()  # a published course's picture is public
    picture = client.get(reverse("media_files:file", args=[items["image"].pk]))
    assert Image.open(io.BytesIO(b"".join(picture.streaming_content))).size == (640, 360)
