"""Records of processing (Art. 30): the command in three formats and the DPO's staff page."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from learnward.privacy.records.models import Processor
from learnward.privacy.records.notice import declarations_in_use, purposes_in_use
from learnward.privacy.registry.purposes import PURPOSES

pytestmark = pytest.mark.django_db


@pytest.fixture
def processors():
    host = Processor.objects.create(
        name="Island Hosting",
        service="Hosting",
        purposes=["account", "learning"],
        data_categories=["user.name", "user.contact.email"],
        location="United Kingdom",
    )
    mail = Processor.objects.create(
        name="Overseas Mail",
        service="Email delivery",
        purposes=["marketing"],
        data_categories=["user.contact.email"],
        location="United States",
        transfer_mechanism=Processor.TransferMechanism.SCCS,
        safeguards="UK Addendum",
    )
    sub = Processor.objects.create(
        name="Relay Sub",
        role=Processor.Role.SUB_PROCESSOR,
        engaged_by=mail,
        service="Relays mail",
        purposes=["marketing"],
        data_categories=["user.contact.email"],
        location="Ireland",
        transfer_mechanism=Processor.TransferMechanism.ADEQUACY,
    )
    return host, mail, sub


def ropa_json(capsys) -> dict:
    call_command("ropa", "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_json_records_controller_dpo_and_security_from_settings(settings, capsys):
    settings.PROVIDER_NAME = "Harbour CPD"
    settings.DPO_EMAIL = "dpo@harbour.test"
    settings.SECURITY_MEASURES = "Everything is encrypted."
    ropa = ropa_json(capsys)
    assert ropa["controller"]["name"] == "Harbour CPD"
    assert ropa["dpo"]["email"] == "dpo@harbour.test"
    assert ropa["security_measures"] == "Everything is encrypted."


def test_one_activity_per_purpose_in_use_with_its_basis_and_article_9_condition(capsys):
    ropa = ropa_json(capsys)
    activities = {a["purpose"]: a for a in ropa["activities"]}
    assert list(activities) == purposes_in_use()
    for key, activity in activities.items():
        assert activity["lawful_basis"] == PURPOSES[key].basis.value
    registration = activities["awarding_body_registration"]
    assert "9(2)(a)" in registration["art9_condition"]
    special = [c["label"] for c in registration["data_categories"] if c["special"]]
    assert "Racial or ethnic origin" in special
    assert activities["learning"]["art9_condition"] is None


def test_categories_subjects_and_retention_come_from_the_declarations(capsys):
    activities = {a["purpose"]: a for a in ropa_json(capsys)["activities"]}
    learning = activities["learning"]
    assert "People with an account (learners and staff)" in learning["data_subjects"]
    records = {r["model"]: r for r in learning["retention"]}
    assert "24 months" in records["learning.ActivityEvent"]["retention"]
    assert records["learning.ActivityEvent"]["retention"].endswith("then deleted")
    security = activities["security"]
    assert any("without an account" in s for s in security["data_subjects"])
    every_declaration = {d.key for d in declarations_in_use()}
    listed = {r["model"] for a in activities.values() for r in a["retention"]}
    assert listed == every_declaration


def test_processors_and_transfers_are_listed_under_their_purposes(processors, capsys):
    ropa = ropa_json(capsys)
    activities = {a["purpose"]: a for a in ropa["activities"]}
    assert [p["name"] for p in activities["learning"]["processors"]] == ["Island Hosting"]
    assert activities["learning"]["transfers"] == []
    marketing = activities["marketing"]
    assert {p["name"] for p in marketing["processors"]} == {"Overseas Mail", "Relay Sub"}
    transfers = {t["processor"]: t for t in marketing["transfers"]}
    assert transfers["Overseas Mail"]["safeguard"].startswith("Standard contractual clauses")
    assert transfers["Overseas Mail"]["details"] == "UK Addendum"
    assert transfers["Relay Sub"]["safeguard"] == "UK adequacy regulations"
    register = {p["name"]: p for p in ropa["processors"]}
    assert register["Relay Sub"]["engaged_by"] == "Overseas Mail"
    assert register["Relay Sub"]["role"] == "Sub-processor"


def test_a_removed_processor_is_gone_from_the_records(processors, capsys):
    host, _, _ = processors
    host.delete()
    assert "Island Hosting" not in json.dumps(ropa_json(capsys))


def test_csv_has_a_row_per_purpose_and_record_with_its_retention(processors, capsys):
    call_command("ropa", "--format", "csv")
    text = capsys.readouterr().out
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert comments[0].startswith("# Controller: ")
    assert comments[2].startswith("# Security measures: ")
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(x for x in text.splitlines() if not x.startswith("#")))
        )
    )
    activity = [
        r
        for r in rows
        if r["purpose"] == "learning" and r["records"] == "Lessons you viewed and completed"
    ]
    assert len(activity) == 1
    assert "24 months" in activity[0]["retention"]
    assert "Island Hosting" in activity[0]["processors"]
    marketing = [r for r in rows if r["purpose"] == "marketing"]
    assert marketing and "Overseas Mail: United States" in marketing[0]["transfers"]
    registration = [r for r in rows if r["purpose"] == "awarding_body_registration"]
    assert any("Racial or ethnic origin" in r["special_categories"] for r in registration)


def test_html_is_a_complete_document(capsys):
    call_command("ropa", "--format", "html")
    html = capsys.readouterr().out
    assert html.lstrip().startswith("<!doctype html>")
    assert "Records of processing activities" in html
    assert "Security measures" in html


# --- The DPO's staff page -----------------------------------------------------------------------------


def test_the_dpo_sees_the_records_and_can_download_them(make_user, client, processors):
    dpo = make_user(roles=["Data protection officer"])
    client.force_login(dpo)
    page = client.get(reverse("privacy_staff:ropa"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Island Hosting" in html and "Running your account" in html
    download = client.get(reverse("privacy_staff:ropa") + "?format=csv")
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    assert b"Island Hosting" in download.content
    as_json = client.get(reverse("privacy_staff:ropa") + "?format=json")
    assert json.loads(as_json.content)["processors"][0]["name"] == "Island Hosting"


def test_learners_and_other_staff_cannot_see_the_records(make_user, client):
    client.force_login(make_user())
    assert client.get(reverse("privacy_staff:ropa")).status_code == 404
    client.force_login(make_user(roles=["Tutor"]))
    assert client.get(reverse("privacy_staff:ropa")).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("privacy_staff:ropa"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
