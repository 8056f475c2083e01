"""The exam pages: marks by hand and by CSV with a preview (bad rows listed, nothing imported
half-way), moderation, release, "My results" showing points only after release, and another
teacher's sitting a 404."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from learnward.exams import marks_csv
from learnward.exams.models import ExamResult, ExamSitting
from learnward.exams.services import Entry, exam_results_enter


def _upload(client, sitting, text: str):
    return client.post(
        reverse("exams:upload", args=[sitting.pk]),
        {"file": SimpleUploadedFile("marks.csv", text.encode(), "text/csv")},
    )


def test_csv_preview_lists_bad_rows_and_imports_nothing_until_fixed(
    client, sitting, teacher, learners
):
    a, b, c = learners
    client.force_login(teacher)
    sent = _upload(
        client,
        sitting,
        "email,marks,note\n"
        f"{a.email},72,\n"
        f"{b.email},101,\n"  # above the maximum
        "nobody@example.test,50,\n"  # unknown learner
        f"{a.email},40,\n",  # twice
    )
    assert sent.status_code == 302
    preview = client.get(sent["Location"])
    text = preview.content.decode()
    assert "3 cannot be imported" in text
    assert "Marks must be from 0 to 100." in text
    assert "Unknown learner" in text and "Listed twice: line 2" in text
    assert "Import 4 results" not in text
    refused = client.post(sent["Location"], {"expected": 4})
    assert refused.status_code == 400 and "Nothing was imported" in refused.content.decode()
    assert not ExamResult.objects.exists()

    fixed = _upload(client, sitting, f"learner,name,marks\n{a.pk},A,72\n{b.pk},B,59.5\n")
    preview = client.get(fixed["Location"]).content.decode()
    assert "Import 2 results" in preview and "Pass" in preview and "Fail" in preview
    done = client.post(fixed["Location"], {"expected": 2})
    assert done.status_code == 302
    assert {r.user_id: r.marks for r in ExamResult.objects.all()} == {
        a.pk: Decimal("72"),
        b.pk: Decimal("59.5"),
    }
    assert client.get(fixed["Location"]).status_code == 404  # the upload is gone


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"email,name\nx@example.test,X\n", "Missing: marks"),
        (b"email,marks\n", "no learner in it"),
    ],
)
def test_bad_files_are_refused(data, message):
    from learnward.core.csvupload import CsvRefused

    with pytest.raises(CsvRefused, match=message):
        marks_csv.parse_upload(data)


def test_the_marks_sheet_lists_names_and_numbers_not_emails(client, sitting, teacher, learners):
    client.force_login(teacher)
    sheet = client.get(reverse("exams:marks_sheet", args=[sitting.pk])).content.decode()
    assert sheet.splitlines()[0] == "learner,name,marks,note"
    assert f"{learners[0].pk},Learner 1,," in sheet
    assert "@" not in sheet
    page = client.get(reverse("exams:sitting", args=[sitting.pk])).content.decode()
    assert "Learner 1" in page and "learner1@example.test" not in page


def test_marks_typed_on_the_page(client, sitting, teacher, learners):
    a, b, _ = learners
    client.force_login(teacher)
    url = reverse("exams:sitting", args=[sitting.pk])
    bad = client.post(url, {f"marks-{a.pk}": "70", f"marks-{b.pk}": "-1"})
    assert bad.status_code == 400 and "Marks must be from 0 to 100." in bad.content.decode()
    assert not ExamResult.objects.exists()
    good = client.post(url, {f"marks-{a.pk}": "70", f"note-{a.pk}": "Good", f"marks-{b.pk}": ""})
    assert good.status_code == 302
    assert ExamResult.objects.get().note == "Good"


def test_another_teachers_sitting_is_not_found(client, sitting, make_user, learners):
    other = make_user(display_name="Other teacher")
    client.force_login(other)
    for name, args in (
        ("exams:sitting", [sitting.pk]),
        ("exams:upload", [sitting.pk]),
        ("exams:marks_sheet", [sitting.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
    assert (
        client.post(
            reverse("exams:release", args=[sitting.pk]), {"release_at": "2026-01-01T10:00"}
        ).status_code
        == 404
    )
    assert "Practical exam" not in client.get(reverse("exams:sittings")).content.decode()
    # Learners cannot create sittings.
    assert client.get(reverse("exams:sitting_create")).status_code == 404


def test_the_manager_creates_a_sitting(client, manager, course, make_user):
    # Teachers are chosen from staff accounts and the Teacher role.
    teacher = make_user(display_name="Staff Teacher", is_staff=True)
    client.force_login(manager)
    url = reverse("exams:sitting_create")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "course": course.pk,
            "title": "Theory",
            "held_on": "2026-05-01",
            "max_marks": "50",
            "pass_marks": "60",
            "teachers": [teacher.pk],
        },
    )
    assert bad.status_code == 400 and not ExamSitting.objects.exists()
    done = client.post(
        url,
        {
            "course": course.pk,
            "title": "Theory",
            "held_on": "2026-05-01",
            "max_marks": "50",
            "pass_marks": "30",
            "teachers": [teacher.pk],
        },
    )
    assert done.status_code == 302
    assert list(ExamSitting.objects.get().teachers.all()) == [teacher]


def test_moderation_page(client, sitting, teacher, moderator, learners):
    sitting.moderator = moderator
    sitting.save()
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=learners[0], marks=Decimal("55"))]
    )
    result = ExamResult.objects.get()
    client.force_login(moderator)
    url = reverse("exams:moderate", args=[sitting.pk, result.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"marks": "120"}).status_code == 400
    assert client.post(url, {"marks": "65", "note": ""}).status_code == 302
    result.refresh_from_db()
    assert result.passed and result.moderated_by == moderator


def test_my_results_shows_points_only_after_release(
    client, sitting, teacher, learners, time_machine
):
    time_machine.move_to("2026-03-15 09:00Z", tick=False)
    a = learners[0]
    exam_results_enter(actor=teacher, sitting=sitting, entries=[Entry(user=a, marks=Decimal("77"))])
    client.force_login(teacher)
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    sent = client.post(
        reverse("exams:release", args=[sitting.pk]),
        {"release_at": later.strftime("%Y-%m-%dT%H:%M")},
    )
    assert sent.status_code == 302
    client.force_login(a)
    before = client.get(reverse("exams:my_results")).content.decode()
    assert "Practical exam" in before and "Not released yet" in before and "77" not in before
    time_machine.move_to(timezone.now() + timedelta(days=1, minutes=1), tick=False)
    client.force_login(a)
    after = client.get(reverse("exams:my_results")).content.decode()
    assert "77 out of 100" in after and "Passed" in after
    # Another learner sees none of it.
    client.force_login(learners[1])
    assert "Practical exam" not in client.get(reverse("exams:my_results")).content.decode()
