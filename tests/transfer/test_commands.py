"""The operators' commands: course_export writes the same file the studio downloads,
course_import refuses what the studio refuses."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from learnward.audit.models import AuditEntry
from learnward.catalog.models import Course

from .conftest import rebuild

pytestmark = pytest.mark.django_db


def test_export_then_import(rich_course, tmp_path, capsys):
    target = tmp_path / "food.zip"
    call_command("course_export", "food-hygiene", str(target))
    assert "2 modules, 3 lessons, 4 media items, 8 questions" in capsys.readouterr().out
    assert not (tmp_path / "food.zip.partial").exists()
    doc = json.loads(zipfile.ZipFile(target).read("course.json"))
    assert doc["format"] == "learnward-course"
    call_command("course_import", str(target), "--title", "Food hygiene (archive)")
    course = Course.objects.get(title="Food hygiene (archive)")
    assert not course.published
    assert "/courses/food-hygiene-archive/" in capsys.readouterr().out
    assert AuditEntry.objects.get(action="transfer.imported").actor_id is None


def test_unknown_course_and_refused_file(rich_course, tmp_path):
    with pytest.raises(CommandError, match="no course with the slug 'nope'"):
        call_command("course_export", "nope", str(tmp_path / "x.zip"))
    target = tmp_path / "food.zip"
    call_command("course_export", "food-hygiene", str(target))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(rebuild(target.read_bytes(), add=[("../../x", b"x")]))
    with pytest.raises(CommandError, match="not imported. The entry ../../x has '..'"):
        call_command("course_import", str(bad))
    assert Course.objects.count() == 1
