"""Importing and exporting a course in Dutch and French: the pages, and import refusals that say
what to fix in the author's language (the course file's JSON keys stay as they are)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from learnward.transfer.archive import size_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def author_client(author):
    client = Client()
    client.force_login(author)
    return client


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_the_export_page_in_dutch(author_client, rich_course):
    with translation.override("nl"):
        url = reverse("transfer:export", kwargs={"slug": rich_course.slug})
    page = author_client.get(url).content.decode()
    assert "Wat het bestand bevat" in page
    assert "2 modules met 3 lessen" in page
    assert "Vragenbank: 8 vragen in gebruik, in 2 categorieën" in page
    assert "Het cursusbestand downloaden" in page
    assert "What the file holds" not in page


def test_an_import_refusal_in_french(author_client):
    with translation.override("fr"):
        url = reverse("transfer:import")
    bad = SimpleUploadedFile("course.zip", _zip({"../evil": b"x"}))
    response = author_client.post(url, {"course_file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le cours n&#x27;a pas été importé. L&#x27;entrée ../evil contient" in page
    assert "Importer et exporter des cours" in page
    assert "was not imported" not in page


def test_a_course_json_problem_names_its_place_and_says_what_is_wrong_in_dutch(author_client):
    with translation.override("nl"):
        url = reverse("transfer:import")
    manifest = b'{"format": "learnward-course", "version": 1, "course": []}'
    bad = SimpleUploadedFile("course.zip", _zip({"course.json": manifest}))
    page = author_client.post(url, {"course_file": bad}).content.decode()
    assert "In course.json, course: moet een object zijn ({...})." in page


def test_sizes_in_the_limits_follow_the_language():
    with translation.override("fr"):
        assert size_label(1536) == "1,5 Ko"
        assert size_label(500 * 1024**2) == "500 Mo"
    with translation.override("nl"):
        assert size_label(1536) == "1,5 kB"


def test_the_commands_speak_the_active_language(tmp_path):
    with translation.override("nl"), pytest.raises(CommandError) as refused:
        call_command("course_export", "no-such-course", str(tmp_path / "x.zip"))
    assert str(refused.value) == "Er is geen cursus met de slug 'no-such-course'."
