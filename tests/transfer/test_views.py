"""The import and export pages: authors only, CSRF-protected posts, clear messages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learnward.accounts.roles import TUTOR
from learnward.audit.models import AuditEntry
from learnward.catalog.models import Course

from .conftest import export_bytes, rebuild, stored_files

pytestmark = pytest.mark.django_db


def upload(data: bytes, name="food.learnward-course.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


def test_author_sees_the_import_page_with_every_course(author_client, rich_course):
    response = author_client.get(reverse("transfer:import"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Import a course" in page and "Food hygiene" in page
    assert reverse("transfer:export", kwargs={"slug": "food-hygiene"}) in page


def test_export_page_says_what_the_file_holds(author_client, rich_course):
    response = author_client.get(reverse("transfer:export", kwargs={"slug": rich_course.slug}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 modules with 3 lessons" in page
    assert "1 × image" in page and "1 × file to download" in page
    assert "Question bank: 8 questions in use, in 2 categories" in page
    assert "The final assessment, and 1 module quiz" in page


def test_download_is_a_zip_attachment_and_audited(author_client, rich_course, author):
    url = reverse("transfer:export", kwargs={"slug": rich_course.slug})
    response = author_client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="food-hygiene-')
    data = b"".join(response.streaming_content)
    assert "course.json" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert AuditEntry.objects.get(action="transfer.exported").actor_id == author.pk


def test_import_through_the_page_makes_an_unpublished_course(author_client, rich_course):
    data = export_bytes(rich_course)
    response = author_client.post(
        reverse("transfer:import"), {"course_file": upload(data), "title": "Food hygiene II"}
    )
    course = Course.objects.get(title="Food hygiene II")
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer:export", kwargs={"slug": course.slug})
    assert course.published is False
    page = author_client.get(response["Location"]).content.decode()
    assert "“Food hygiene II” is a new course. It is not published" in page
    assert "showing people" not in page


def test_import_reminds_the_author_of_media_showing_people(author_client, rich_course):
    from learnward.catalog.models import MediaItem

    MediaItem.objects.filter(course=rich_course, kind="video").update(shows_people=True)
    response = author_client.post(
        reverse("transfer:import"), {"course_file": upload(export_bytes(rich_course))}, follow=True
    )
    page = response.content.decode()
    assert "1 media item in it is marked as showing people who could be identified" in page


def test_a_refused_file_shows_why_and_stores_nothing(author_client, rich_course):
    data = rebuild(export_bytes(rich_course), add=[("../evil", b"x")])
    files = stored_files()
    response = author_client.post(reverse("transfer:import"), {"course_file": upload(data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The course was not imported. The entry ../evil has &#x27;..&#x27; in its path" in page
    assert Course.objects.count() == 1 and stored_files() == files


def test_no_file_chosen(author_client, db):
    response = author_client.post(reverse("transfer:import"), {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_course_file"' in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_learners_and_tutors_get_404(client, make_user, rich_course, method):
    urls = [
        reverse("transfer:import"),
        reverse("transfer:export", kwargs={"slug": rich_course.slug}),
    ]
    for user in (make_user(), make_user(roles=[TUTOR])):
        client.force_login(user)
        for url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    assert Course.objects.count() == 1
    assert not AuditEntry.objects.filter(action__startswith="transfer.").exists()


def test_signed_out_goes_to_sign_in(client, rich_course):
    response = client.get(reverse("transfer:export", kwargs={"slug": rich_course.slug}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_course_is_404(author_client, db):
    assert author_client.get(reverse("transfer:export", kwargs={"slug": "nope"})).status_code == 404


def test_posts_need_csrf(client, author, rich_course):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(author)
    url = reverse("transfer:export", kwargs={"slug": rich_course.slug})
    assert csrf_client.post(url).status_code == 403
