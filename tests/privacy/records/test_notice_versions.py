"""Notice versions: a new one when the content changes, learners told of material changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.privacy.records.models import NoticeAcknowledgement, NoticeVersion, Processor
from learnward.privacy.records.notice import notice_change_for, notice_publish_if_changed
from learnward.privacy.records.processors import processor_delete, processor_save

pytestmark = pytest.mark.django_db


def add_processor(name="Acme Hosting", actor=None):
    return processor_save(
        processor=Processor(
            name=name,
            service="Web hosting",
            purposes=["account"],
            data_categories=["user.contact.email"],
            location="United Kingdom",
        ),
        actor=actor,
    )


def test_same_content_same_version_changed_content_new_version():
    first = notice_publish_if_changed()
    assert first.number == 1
    assert notice_publish_if_changed().pk == first.pk
    add_processor()
    second = NoticeVersion.objects.order_by("-number").first()
    assert second.number == 2
    assert second.material is True
    assert "Our processors" in second.changed_sections
    assert any(p["name"] == "Acme Hosting" for p in second.content["en-gb"]["processors"])
    assert set(second.content) == {"en-gb", "nl", "fr"}
    published = AuditEntry.objects.filter(action=Action.NOTICE_PUBLISHED)
    assert [e.payload["number"] for e in published] == [1, 2]


def test_a_change_of_contact_details_only_is_published_but_not_material(settings):
    notice_publish_if_changed()
    settings.DPO_EMAIL = "new.dpo@example.test"
    version = notice_publish_if_changed()
    assert version.number == 2
    assert version.material is False
    assert version.changed_sections == ["Who we are", "How to complain"]


def test_the_same_notice_in_another_order_is_published_but_not_material(make_user):
    # After an upgrade that changes the installed apps' order, the notice lists the same records
    # in another order: learners must not be told that anything changed.
    first = notice_publish_if_changed()
    reordered = {
        language: {
            key: list(reversed(value)) if isinstance(value, list) else value
            for key, value in content.items()
        }
        for language, content in first.content.items()
    }
    assert reordered != first.content, "the notice should have lists to reorder"
    NoticeVersion.objects.filter(pk=first.pk).update(content=reordered, content_hash="old")
    version = notice_publish_if_changed()
    assert version.number == 2
    assert version.material is False
    assert version.changed_sections == []
    learner = make_user()
    learner.date_joined = first.published_at - timedelta(days=1)
    learner.save()
    assert notice_change_for(learner) is None


def test_a_new_item_in_a_reordered_section_is_still_material():
    first = notice_publish_if_changed()
    content = {language: dict(c) for language, c in first.content.items()}
    content["en-gb"]["data"] = list(reversed(first.content["en-gb"]["data"]))[1:]
    NoticeVersion.objects.filter(pk=first.pk).update(content=content, content_hash="old")
    version = notice_publish_if_changed()
    assert version.material is True
    assert version.changed_sections == ["The personal data we hold"]


def test_the_processor_register_is_audited_and_republishes_the_notice(make_user):
    dpo = make_user(roles=["Data protection officer"])
    notice_publish_if_changed()
    processor = add_processor(actor=dpo)
    entry = AuditEntry.objects.get(action=Action.PROCESSOR_CHANGED)
    assert entry.actor_id == dpo.pk and entry.payload["created"] is True
    processor_delete(processor=processor, actor=dpo)
    assert AuditEntry.objects.filter(action=Action.PROCESSOR_CHANGED).count() == 2
    assert NoticeVersion.objects.count() == 3


def test_learners_are_told_of_a_material_change_at_their_next_visit(make_user, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notice_publish_if_changed()
        learner = make_user()
    with time_machine.travel(start + timedelta(days=5), tick=False):
        add_processor("New Cloud")
        client.force_login(learner)
        home = client.get(reverse("core:home")).content.decode()
        assert "Our privacy notice has changed" in home
        assert "Our processors" in home
        notice = client.get(reverse("privacy:notice"))
        assert "New Cloud" in notice.content.decode()
        seen = NoticeAcknowledgement.objects.get(user=learner)
        assert seen.version.number == 2
        assert seen.seen_at == start + timedelta(days=5)
        home = client.get(reverse("core:home")).content.decode()
        assert "Our privacy notice has changed" not in home


def test_the_banner_can_be_dismissed_and_records_the_version_seen(make_user, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        notice_publish_if_changed()
        learner = make_user()
    with time_machine.travel(start + timedelta(days=1), tick=False):
        add_processor()
        client.force_login(learner)
        response = client.post(reverse("privacy:notice_seen"), {"next": "https://evil.test/"})
        assert response.status_code == 302 and response["Location"] == "/"
    assert NoticeAcknowledgement.objects.filter(user=learner, version__number=2).exists()
    assert notice_change_for(learner) is None


def test_learners_who_joined_after_the_change_are_not_told(make_user):
    notice_publish_if_changed()
    add_processor()
    learner = make_user()
    assert notice_change_for(learner) is None


def test_the_first_version_is_not_announced_as_a_change(make_user):
    learner = make_user()
    notice_publish_if_changed()
    assert notice_change_for(learner) is None


def test_earlier_versions_stay_readable_as_published(client):
    notice_publish_if_changed()
    add_processor("Later Cloud")
    old = client.get(reverse("privacy:notice_version", args=[1])).content.decode()
    assert "Later Cloud" not in old and "This is an earlier version" in old
    new = client.get(reverse("privacy:notice_version", args=[2])).content.decode()
    assert "Later Cloud" in new and "This is an earlier version" not in new
    assert client.get(reverse("privacy:notice_version", args=[99])).status_code == 404


def test_anonymous_visits_record_nothing(client):
    client.get(reverse("privacy:notice"))
    assert not NoticeAcknowledgement.objects.exists()


def test_dismissing_needs_a_post_from_a_signed_in_account(client):
    assert client.get(reverse("privacy:notice_seen")).status_code == 405
    response = client.post(reverse("privacy:notice_seen"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_demo_publishes_the_notice_last_so_nobody_is_told_it_changed():
    # Published before the courses existed, the demo's notice changed at the first visit and
    # every demo learner was told so.
    from learnward.core.demo import load_demo

    load_demo()
    first = NoticeVersion.objects.get()
    assert notice_publish_if_changed().pk == first.pk
