"""CPD pages: adding activities (and refusing bad ones), reflecting with prompts, exporting."""

import csv
import io
import subprocess
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.cpd.models import CpdActivity, Reflection
from learnward.cpd.services import activity_add

GOOD = {
    "title": "Regional safeguarding conference",
    "activity_type": "conference",
    "occurred_on": "2025-02-10",
    "hours": "6.5",
    "notes": "Sessions on consent and capacity.",
}


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_adding_an_outside_activity(client, learner):
    client.force_login(learner)
    response = client.post(reverse("cpd:activity_add"), GOOD)
    assert response.status_code == 302
    activity = CpdActivity.objects.get(user=learner)
    assert activity.hours == 6.5 and activity.occurred_on == date(2025, 2, 10)
    html = client.get(reverse("cpd:record")).content.decode()
    assert "Regional safeguarding conference" in html and "6.50" in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "Enter the activity&#x27;s title."),
        ("title", "   ", "Enter the activity&#x27;s title."),
        ("activity_type", "party", "Select a valid choice"),
        ("occurred_on", "31/02/2025", "as a real date"),
        ("occurred_on", (date.today() + timedelta(days=2)).isoformat(), "cannot be in the future"),
        ("occurred_on", "1901-01-01", "after 1950"),
        ("hours", "0", "between 0.25 and 999"),
        ("hours", "-3", "between 0.25 and 999"),
        ("hours", "1000", "between 0.25 and 999"),
        ("hours", "abc", "as a number"),
        ("hours", "NaN", "as a number"),
        ("hours", "1.234", "two decimal places"),
    ],
)
def test_bad_activities_are_refused_with_a_clear_message(client, learner, field, value, message):
    client.force_login(learner)
    response = client.post(reverse("cpd:activity_add"), {**GOOD, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CpdActivity.objects.exists()


def test_editing_and_deleting_my_activity(client, learner):
    activity = activity_add(user=learner, **{**GOOD, "occurred_on": date(2025, 2, 10)})
    client.force_login(learner)
    url = reverse("cpd:activity_edit", args=[activity.pk])
    assert client.post(url, {**GOOD, "hours": "7"}).status_code == 302
    activity.refresh_from_db()
    assert activity.hours == 7
    assert client.post(reverse("cpd:activity_delete", args=[activity.pk])).status_code == 302
    assert not CpdActivity.objects.exists()


def test_another_learners_activity_is_a_404(client, learner, make_user):
    activity = activity_add(user=learner, **{**GOOD, "occurred_on": date(2025, 2, 10)})
    client.force_login(make_user(display_name="Intruder"))
    for name in ("cpd:activity_edit", "cpd:activity_delete", "cpd:reflect_activity"):
        assert client.get(reverse(name, args=[activity.pk])).status_code == 404
        assert (
            client.post(reverse(name, args=[activity.pk]), {**GOOD, "what": "x"}).status_code == 404
        )
    assert CpdActivity.objects.get().title == GOOD["title"]
    assert not Reflection.objects.exists()


def test_reflection_prompts_after_a_course_use_its_title_and_module_headings(
    client, learner, make_course, complete
):
    course = make_course(modules=("Recognising abuse", "Reporting concerns"))
    complete(user=learner, course=course)
    client.force_login(learner)
    record = client.get(reverse("cpd:record")).content.decode()
    url = reverse("cpd:reflect_course", args=[course.pk])
    assert url in record and "Reflect on your completed courses" in record
    html = client.get(url).content.decode()
    assert "What did you learn on “Safeguarding Adults”?" in html
    assert "“Recognising abuse” and “Reporting concerns”" in html
    assert "What will you do differently after “Safeguarding Adults”?" in html
    assert "Suggest questions tailored" not in html  # no provider here


def test_writing_a_reflection(client, learner, make_course, complete):
    course = make_course()
    complete(user=learner, course=course)
    client.force_login(learner)
    url = reverse("cpd:reflect_course", args=[course.pk])
    data = {
        "action": "save",
        "what": "Signs of neglect",
        "so_what": "I meet them",
        "now_what": "Brief my team",
    }
    assert client.post(url, data).status_code == 302
    reflection = Reflection.objects.get(user=learner)
    assert (reflection.course_id, reflection.now_what) == (course.pk, "Brief my team")
    # Saving again updates the same reflection.
    client.post(url, {**data, "now_what": "Brief my team by March"})
    assert Reflection.objects.get().now_what == "Brief my team by March"


def test_an_empty_reflection_is_refused(client, learner, make_course, complete):
    course = make_course()
    complete(user=learner, course=course)
    client.force_login(learner)
    response = client.post(
        reverse("cpd:reflect_course", args=[course.pk]), {"action": "save", "what": "  "}
    )
    assert response.status_code == 400
    assert "Write at least one part" in response.content.decode()
    assert not Reflection.objects.exists()


def test_reflecting_on_a_course_not_completed_is_a_404(client, learner, make_course):
    course = make_course()
    client.force_login(learner)
    url = reverse("cpd:reflect_course", args=[course.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "save", "what": "x"}).status_code == 404
    assert not Reflection.objects.exists()


def test_tailored_prompts_send_only_course_content(
    client, learner, make_course, complete, fake_llm, settings
):
    from learnward.ai.models import AiCall
    from learnward.ai.selectors import ai_status
    from learnward.ai.services import ai_opt_in
    from learnward.privacy.records.models import Processor

    Processor.objects.create(
        name="Example AI Ltd",
        service="LLM",
        purposes=["ai_assistance"],
        data_categories=["user.content.ai_interaction"],
        location="United Kingdom",
    )
    ai_opt_in(user=learner, version=ai_status(user=learner).version)
    fake_llm.reply = (
        "What?: Which sign of abuse surprised you most?\n"
        "So what?: How would spotting it change a home visit?\n"
        "Now what?: Who will you tell about the reporting route?"
    )
    course = make_course()
    complete(user=learner, course=course)
    client.force_login(learner)
    url = reverse("cpd:reflect_course", args=[course.pk])
    assert "Suggest questions tailored" in client.get(url).content.decode()
    draft = "My private draft: Pat Kowalczyk at pat@example.org"
    html = client.post(url, {"action": "tailor", "what": draft}).content.decode()
    assert "Which sign of abuse surprised you most?" in html
    assert "suggested by an AI service" in html
    assert "My private draft" in html  # kept in the form, unsaved
    sent = fake_llm.sent_text()
    assert "Recognising abuse" in sent and "Key signs" in sent
    for leaked in ("private draft", "Pat", "Kowalczyk", "pat@example.org"):
        assert leaked not in sent
    assert AiCall.objects.get().feature == "reflection_prompts"
    assert not Reflection.objects.exists()


def test_tailored_prompts_fall_back_to_templates_when_the_provider_fails(
    client, learner, make_course, complete, fake_llm
):
    from learnward.ai.selectors import ai_status
    from learnward.ai.services import ai_opt_in
    from learnward.privacy.records.models import Processor

    Processor.objects.create(
        name="Example AI Ltd",
        service="LLM",
        purposes=["ai_assistance"],
        data_categories=["user.content.ai_interaction"],
        location="United Kingdom",
    )
    ai_opt_in(user=learner, version=ai_status(user=learner).version)
    fake_llm.set_mode("rate_limit")
    course = make_course()
    complete(user=learner, course=course)
    client.force_login(learner)
    response = client.post(reverse("cpd:reflect_course", args=[course.pk]), {"action": "tailor"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "did not reply with prompts" in html
    assert "What did you learn on “Safeguarding Adults”?" in html


def test_tailoring_without_opt_in_sends_nothing(client, learner, make_course, complete, fake_llm):
    course = make_course()
    complete(user=learner, course=course)
    client.force_login(learner)
    html = client.post(
        reverse("cpd:reflect_course", args=[course.pk]), {"action": "tailor"}
    ).content.decode()
    assert "No tailored prompts" in html
    assert fake_llm.requests == []


@pytest.fixture
def filled_record(learner, make_course, complete):
    from learnward.cpd.services import reflection_save

    now = timezone.now()
    course = make_course(cpd_hours="3.5")
    complete(user=learner, course=course, completed_at=now - timedelta(days=30))
    reflection_save(
        user=learner,
        course_id=course.pk,
        course_title=course.title,
        what="Neglect signs",
        so_what='=HYPERLINK("http://evil")',
        now_what="Tell my team",
    )
    activity_add(
        user=learner,
        title="Conference",
        activity_type="conference",
        occurred_on=(now - timedelta(days=10)).date(),
        hours="6.5",
        notes="Notes here",
    )
    activity_add(
        user=learner,
        title="Old workshop",
        activity_type="workshop",
        occurred_on=date(2020, 1, 1),
        hours="2",
    )
    return course


def test_export_pdf_for_a_date_range(client, learner, filled_record, tmp_path):
    client.force_login(learner)
    start = (timezone.localdate() - timedelta(days=365)).isoformat()
    end = timezone.localdate().isoformat()
    response = client.get(reverse("cpd:export"), {"start": start, "end": end, "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"cpd-record-{start}-{end}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "CPD record: Pat Kowalczyk" in text
    assert "Total CPD hours: 10.00" in text
    assert "Safeguarding Adults" in text and "Conference" in text
    assert "Old workshop" not in text
    assert "Neglect signs" in text and "Tell my team" in text


def test_export_csv_is_safe_to_open_in_a_spreadsheet(client, learner, filled_record):
    client.force_login(learner)
    response = client.get(reverse("cpd:export"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["Title"] for r in rows} == {"Safeguarding Adults", "Conference", "Old workshop"}
    course_row = next(r for r in rows if r["Title"] == "Safeguarding Adults")
    assert course_row["CPD hours"] == "3.50" and course_row["Source"] == "Completed here"
    assert course_row["So what?"].startswith("'=HYPERLINK")


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-05-01", "end": "2025-01-01", "format": "pdf"},
        {"start": "not-a-date", "format": "csv"},
        {"format": "docx"},
    ],
)
def test_bad_export_requests_are_refused(client, learner, params):
    client.force_login(learner)
    response = client.get(reverse("cpd:export"), params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_record_pages_need_login(client):
    for name in ("cpd:record", "cpd:export", "cpd:activity_add"):
        assert client.get(reverse(name)).status_code == 302


def test_completed_course_page_offers_reflection(client, learner, make_course, complete):
    course = make_course()
    complete(user=learner, course=course)
    client.force_login(learner)
    html = client.get(course.get_absolute_url()).content.decode()
    assert reverse("cpd:reflect_course", args=[course.pk]) in html
    assert "Reflection questions for your CPD record are ready" in html
