"""The processor register: validation, audit, and the admin for the DPO."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learnward.audit.actions import Action
from learnward.audit.models import AuditEntry
from learnward.privacy.records.models import NoticeVersion, Processor
from learnward.privacy.records.processors import processor_save
from learnward.privacy.retention.models import RetentionOverride

pytestmark = pytest.mark.django_db


def processor(**fields) -> Processor:
    values = {
        "name": "Acme",
        "service": "Hosting",
        "purposes": ["account"],
        "data_categories": ["user.name"],
        "location": "United Kingdom",
        **fields,
    }
    return Processor(**values)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"purposes": []}, "purposes", "at least one purpose"),
        ({"purposes": ["world_domination"]}, "purposes", "Unknown purpose"),
        ({"data_categories": []}, "data_categories", "at least one data category"),
        ({"data_categories": ["user.shoe_size"]}, "data_categories", "Unknown category"),
        ({"role": Processor.Role.SUB_PROCESSOR}, "engaged_by", "must name the processor"),
    ],
)
def test_bad_registrations_are_refused_with_a_clear_message(fields, field, message, make_user):
    with pytest.raises(ValidationError) as exc:
        processor_save(processor=processor(**fields), actor=make_user())
    assert message in " ".join(exc.value.message_dict[field])
    assert not Processor.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.PROCESSOR_CHANGED).exists()


def test_a_sub_processor_names_the_processor_that_engaged_it(make_user):
    parent = processor_save(processor=processor(name="Parent"), actor=None)
    child = processor_save(
        processor=processor(name="Child", role=Processor.Role.SUB_PROCESSOR, engaged_by=parent),
        actor=None,
    )
    assert list(parent.sub_processors.all()) == [child]
    with pytest.raises(ValidationError):
        processor_save(processor=processor(name="Odd", engaged_by=parent), actor=None)


@pytest.fixture
def dpo_client(make_user, client):
    client.force_login(make_user(roles=["Data protection officer"]))
    return client


def test_the_dpo_registers_a_processor_in_the_admin(dpo_client):
    response = dpo_client.post(
        reverse("admin:privacy_records_processor_add"),
        {
            "name": "Sky Mail",
            "role": "processor",
            "service": "Email delivery",
            "purposes": ["service_communications", "marketing"],
            "data_categories": ["user.contact.email", "user.name"],
            "location": "United States",
            "transfer_mechanism": "idta",
            "safeguards": "",
            "contract_date": "2025-01-31",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Processor.objects.get(name="Sky Mail")
    assert created.purposes == ["service_communications", "marketing"]
    assert str(created.contract_date) == "2025-01-31"
    assert AuditEntry.objects.filter(action=Action.PROCESSOR_CHANGED).count() == 1
    assert NoticeVersion.objects.exists()


def test_the_admin_refuses_a_processor_without_purposes(dpo_client):
    response = dpo_client.post(
        reverse("admin:privacy_records_processor_add"),
        {
            "name": "Nothing Ltd",
            "role": "processor",
            "service": "?",
            "data_categories": ["user.name"],
            "location": "UK",
            "transfer_mechanism": "none",
        },
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Processor.objects.exists()


def test_the_dpo_sets_a_retention_period_in_the_admin_within_the_minimum(dpo_client):
    url = reverse("admin:privacy_retention_retentionoverride_add")
    too_short = dpo_client.post(url, {"rule": "learning.ActivityEvent", "months": 6, "reason": ""})
    assert too_short.status_code == 200
    assert "below the minimum of 12 months" in too_short.content.decode()
    assert not RetentionOverride.objects.exists()
    ok = dpo_client.post(url, {"rule": "learning.ActivityEvent", "months": 18, "reason": "Enough"})
    assert ok.status_code == 302
    assert RetentionOverride.objects.get().months == 18
    change = AuditEntry.objects.get(action=Action.RETENTION_SETTING_CHANGED)
    assert change.payload["to_months"] == 18 and change.payload["to_source"] == "admin"


def test_learners_cannot_reach_the_processor_admin(make_user, client):
    client.force_login(make_user())
    response = client.get(reverse("admin:privacy_records_processor_changelist"))
    assert response.status_code in (302, 403, 404)
