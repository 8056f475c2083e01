""" "My data" for people: the summary's counts, values in plain words, technical details apart,
the export button's promise and a pending export's state, and the DPO's one-button export."""

from __future__ import annotations

import re

import pytest
from django.test import TestCase
from django.urls import reverse

from learnward.audit.models import AuditEntry
from learnward.privacy.rights.models import SubjectExport
from learnward.privacy.rights.selectors import my_data
from tests.core.plain_words import visible_text

pytestmark = pytest.mark.django_db
URL = "/privacy/my-data/"


def _enrol(user, *titles):
    from django.utils import timezone

    from learnward.learning.models import Enrolment
    from tests.catalog.factories import make_course

    for title in titles:
        Enrolment.objects.create(
            user=user, course=make_course(title=title), enrolled_at=timezone.now()
        )


def test_the_summary_counts_what_we_hold_by_purpose(client, learner, other_learner):
    from learnward.audit.actions import Action
    from learnward.audit.services import audit_record

    _enrol(learner, "Fire safety", "First aid")
    _enrol(other_learner, "Manual handling")  # someone else's: never counted
    audit_record(action=Action.USER_PROFILE_CHANGED, actor=learner, subject=learner)
    data = my_data(actor=learner, user=learner)
    lines = {line.purpose.key: {k.info.label: k.total for k in line.kinds} for line in data.summary}
    assert lines["learning"] == {"Your enrolments": 2}
    assert lines["account"]["Your profile"] == 1
    assert lines["audit"] == {"Records of actions on your account": 1}
    assert "marketing" not in lines  # nothing held for it: no line
    assert data.total == sum(sum(kinds.values()) for kinds in lines.values())
    assert len(data.summary) <= 12

    client.force_login(learner)
    page = client.get(URL).content.decode()
    summary = page[page.index('id="summary"') : page.index("</dl>", page.index('id="summary"'))]
    text = visible_text(summary).replace(" :", ":")  # (a link, then its count)
    assert "Delivering courses" in text and "Your enrolments: 2" in text
    assert "Records of actions on your account: 1" in text
    # The summary comes first, before the kinds in detail.
    assert page.index("What we hold, in short") < page.index("What we hold, kind by kind")
    # Kinds we hold nothing of are listed once, together, not one disclosure each.
    data = my_data(actor=learner, user=learner)  # signing in added a sign-in log entry
    assert page.count('<details class="disclosure disclosure--boxed kind" data-kind=') == sum(
        len(line.kinds) for line in data.summary
    )
    assert "Kinds of record we hold none of about you" in page


def test_values_are_in_plain_words_and_technical_fields_apart(client, learner):
    from learnward.privacy.rights.models import SubjectExport

    SubjectExport.objects.create(user=learner)
    client.force_login(learner)
    page = client.get(URL).content.decode()
    start = page.index('data-kind="privacy_rights.SubjectExport"')
    kind = page[start : page.index("</details>\n", page.index("Technical details", start))]
    text = visible_text(kind)
    assert "Being prepared" in text  # the choice's label, not "pending"
    assert "Ready at none" in text or re.search(r"Ready at\s*none", text)
    assert not re.search(r"\b(True|False|None)\b", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}", text)
    # The account link ("You") is an identifier: inside the record's technical details only.
    technical = kind[kind.index("<summary>Technical details</summary>") :]
    assert "You" in visible_text(technical)


def test_a_subject_with_data_everywhere_sees_no_raw_values(client, settings, rights_env):
    from tests.privacy.subject_everywhere import build_subject_everywhere

    ctx = build_subject_everywhere(client=client, settings=settings)
    client.force_login(ctx.user)
    response = client.get(URL)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    raw = re.findall(r"\b(?:True|False|None)\b", text)
    assert not raw, raw
    iso = re.findall(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}[^ ]*)?", text)
    assert not iso, iso[:5]
    assert "+00:00" not in text
    assert "HTTP Accept" not in text.split("Technical details")[0]  # technical: only inside
    data = my_data(actor=ctx.user, user=ctx.user)
    assert len(data.summary) > 12  # data everywhere: every purpose has a line
    assert not data.empty  # ...and no kind is empty


def test_the_export_button_says_what_happens_and_a_pending_export_is_shown(client, learner):
    client.force_login(learner)
    page = visible_text(client.get(URL).content.decode())
    assert "We'll email you a link when it's ready, usually within minutes" in page
    assert "Prepare my data for download" in page

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post("/privacy/my-data/download/")
        client.post("/privacy/my-data/download/")  # a second click
    assert response.status_code == 302 and response["Location"].endswith("#download")
    assert SubjectExport.objects.filter(user=learner).count() == 1
    assert len(callbacks) == 1  # the build job is queued once
    page = visible_text(client.get(URL).content.decode())
    assert "We are preparing your copy" in page
    assert "Prepare my data for download" not in page  # no second button while pending


# --- the DPO's one button ---------------------------------------------------------------------


def _subject_page(client, email: str) -> str:
    response = client.post("/staff/privacy/subjects/", {"email": email})
    assert response.status_code == 302
    return response["Location"]


def test_the_dpo_queues_the_subjects_export_with_one_button_once(
    client, dpo, learner, smtp_server, rights_env
):
    client.force_login(dpo)
    page_url = _subject_page(client, learner.email)
    page = client.get(page_url).content.decode()
    assert "learnward export_subject" not in page
    assert 'action="/staff/privacy/subjects/export/"' in page
    assert "Prepare their data and email them a link" in page

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        response = client.post("/staff/privacy/subjects/export/", {"email": learner.email})
    assert response.status_code == 302  # back to the subject's page (a fresh token)
    assert response["Location"].startswith("/staff/privacy/subjects/gA")
    [export] = SubjectExport.objects.filter(user=learner)
    assert len(callbacks) >= 1
    export.refresh_from_db()
    assert export.status == SubjectExport.Status.READY  # the same job as self-service
    [mail] = smtp_server.to(learner.email)  # delivered to the subject, as self-service
    assert any("/privacy/my-data/download/" in link for link in mail.links())
    entry = AuditEntry.objects.get(action="privacy.export_requested", subject_id=learner.pk)
    assert entry.actor_id == dpo.pk


def test_two_clicks_queue_one_export(client, dpo, learner, rights_env):
    client.force_login(dpo)
    page_url = _subject_page(client, learner.email)
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        client.post("/staff/privacy/subjects/export/", {"email": learner.email})
        client.post("/staff/privacy/subjects/export/", {"email": learner.email})
    assert SubjectExport.objects.filter(user=learner).count() == 1
    assert len(callbacks) == 1
    assert AuditEntry.objects.filter(action="privacy.export_requested").count() == 1
    page = visible_text(client.get(page_url).content.decode())
    assert "Being prepared since" in page


@pytest.mark.parametrize("role", [None, "Tutor"])
def test_only_the_dpo_may_press_it(client, make_user, learner, role, rights_env):
    other = make_user(
        email="staff@example.test", is_staff=role is not None, roles=[role] if role else []
    )
    client.force_login(other)
    response = client.post("/staff/privacy/subjects/export/", {"email": learner.email})
    assert response.status_code in (403, 404)
    assert not SubjectExport.objects.exists()
    client.logout()
    response = client.post("/staff/privacy/subjects/export/", {"email": learner.email})
    assert response.status_code in (302, 403, 404)
    assert reverse("accounts:login") in response.get("Location", reverse("accounts:login"))
    assert not SubjectExport.objects.exists()


def test_an_unknown_address_or_a_get_changes_nothing(client, dpo, rights_env):
    client.force_login(dpo)
    assert (
        client.post("/staff/privacy/subjects/export/", {"email": "nobody@example.test"}).status_code
        == 404
    )
    assert client.get("/staff/privacy/subjects/export/").status_code == 405
    assert not SubjectExport.objects.exists()
