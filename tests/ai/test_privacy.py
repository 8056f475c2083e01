"""The AI call log in the registry: on My data, in the export, erased with the subject, deleted
after LEARNWARD_AI_LOG_DAYS; the notice and records of processing name the AI processor only
while AI is on."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from learnward.ai.models import AiCall


@pytest.fixture
def logged_call(client, learner, course, ai_on):
    client.force_login(learner)
    client.post(
        reverse("ai:ask", args=[course.slug]), {"question": "When can consent be withdrawn?"}
    )
    return AiCall.objects.get()


def test_calls_are_listed_on_my_data(client, logged_call):
    html = client.get(reverse("rights:my_data")).content.decode()
    assert "AI feature requests and replies" in html


def test_calls_are_in_the_subject_export_exactly_as_sent(learner, logged_call):
    from learnward.privacy.registry import declaration_for
    from learnward.privacy.registry.export import export_subject_to, file_stem

    stem = file_stem(declaration_for(AiCall))
    buffer = io.BytesIO()
    export_subject_to(user=learner, fileobj=buffer)
    with zipfile.ZipFile(buffer) as zf:
        names = [n for n in zf.namelist() if n.startswith(stem + ".")]
        assert names, zf.namelist()
        json_name = next(n for n in names if n.endswith(".json"))
        text = zf.read(json_name).decode()
    assert json.dumps(logged_call.sent_text)[1:40] in text
    assert logged_call.response_text in text


def test_calls_are_erased_with_the_subject(learner, logged_call):
    from learnward.privacy.registry.erasure import erasure_plan
    from learnward.privacy.rights.erasure import subject_erase

    plan = erasure_plan(user=learner)
    assert any(step.model == "ai.AiCall" and step.rows == 1 for step in plan.steps)
    subject_erase(user=learner, reason="test erasure")
    assert not AiCall.objects.exists()


def test_calls_are_deleted_after_the_declared_number_of_days(learner, logged_call, settings):
    from learnward.privacy.retention.services import retention_run

    assert settings.AI_LOG_DAYS == 90
    made = logged_call.created_at
    retention_run(now=made + timedelta(days=89))
    assert AiCall.objects.filter(pk=logged_call.pk).exists()
    with time_machine.travel(made + timedelta(days=91), tick=False):
        retention_run(now=timezone.now())
    assert not AiCall.objects.filter(pk=logged_call.pk).exists()


def test_notice_and_records_name_the_ai_processor_only_while_ai_is_on(settings, ai_processor):
    from learnward.privacy.records.notice import build_notice
    from learnward.privacy.records.ropa import build_ropa

    settings.AI_BASE_URL = ""
    notice = build_notice()
    assert notice["ai"] is None
    assert "Example AI Ltd" not in json.dumps(notice)
    assert "ai_assistance" not in [a["purpose"] for a in build_ropa()["activities"]]

    settings.AI_BASE_URL = "http://127.0.0.1:9/v1"
    settings.AI_MODEL = "m"
    notice = build_notice()
    assert [p["name"] for p in notice["ai"]["processors"]] == ["Example AI Ltd"]
    activity = next(a for a in build_ropa()["activities"] if a["purpose"] == "ai_assistance")
    assert [p["name"] for p in activity["processors"]] == ["Example AI Ltd"]
    assert any("90 days" in r["retention"] for r in activity["retention"])
