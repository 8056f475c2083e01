"""An awarding body named on a published course is a recipient wherever recipients are listed."""

import json

import pytest
from django.core.management import call_command

from learnward.catalog.models import AwardingBody
from learnward.privacy.records.ropa import build_ropa
from tests.catalog.factories import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    body = AwardingBody.objects.create(
        name="Institute of Safe Lifting", purpose="Registers candidates."
    )
    course = make_course(title="Lifting level 2")
    course.awarding_body = body
    course.save()
    return body


def test_the_notice_names_the_awarding_body(body, client):
    assert "Institute of Safe Lifting" in client.get("/privacy/").content.decode()


def test_the_records_of_processing_and_registry_name_it(body, capsys):
    ropa = json.dumps(build_ropa())
    assert "Institute of Safe Lifting" in ropa
    call_command("privacy_registry", "--format", "json")
    purposes = json.loads(capsys.readouterr().out)["purposes"]
    assert any(
        "Institute of Safe Lifting" in r
        for r in purposes["awarding_body_registration"]["recipients"]
    )


def test_a_body_only_on_draft_courses_is_not_listed(client):
    body = AwardingBody.objects.create(name="Draft Body Ltd", purpose="x")
    course = make_course(title="Draft", published=False)
    course.awarding_body = body
    course.save()
    assert "Draft Body Ltd" not in client.get("/privacy/").content.decode()
    assert "Draft Body Ltd" not in json.dumps(build_ropa())
