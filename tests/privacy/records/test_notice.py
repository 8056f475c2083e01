"""The generated privacy notice: built from the registry, cannot drift from it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from learnward.privacy import registry
from learnward.privacy.records.models import Processor
from learnward.privacy.records.notice import build_notice, purposes_in_use
from learnward.privacy.registry import Erasure, personal_declarations
from learnward.privacy.registry.purposes import PURPOSES, LawfulBasis, Purpose, register_purpose
from learnward.privacy.registry.taxonomy import NOT_PERSONAL

pytestmark = pytest.mark.django_db


def make_processor(**fields) -> Processor:
    values = {
        "name": "Acme Hosting",
        "service": "Web hosting",
        "purposes": ["account"],
        "data_categories": ["user.contact.email"],
        "location": "United Kingdom",
        **fields,
    }
    processor = Processor(**values)
    processor.full_clean()
    processor.save()
    return processor


@pytest.fixture
def telescope_purpose():
    """A purpose and a model that serves it, added at run time as a developer would in code."""

    purpose = register_purpose(
        Purpose(
            "stargazing",
            "Recording the stars you watched",
            LawfulBasis.CONSENT,
            "Keeping a log of the telescopes you booked.",
        )
    )

    class TelescopeBooking(models.Model):
        observer_email = models.EmailField()

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return self.observer_email

    declaration = registry.declare(
        TelescopeBooking,
        subject_email="observer_email",
        fields={"id": NOT_PERSONAL, "observer_email": "user.contact.email"},
        purposes=["stargazing"],
        erasure=Erasure.delete(),
        retention_note="Until the end of the observing season.",
        label="Telescope bookings",
    )
    yield purpose, declaration
    registry.undeclare(TelescopeBooking)
    PURPOSES.pop("stargazing", None)
    del apps.all_models["core"]["telescopebooking"]
    apps.clear_cache()


def notice_text(client) -> str:
    response = client.get(reverse("privacy:notice"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_notice_covers_every_section_the_law_and_the_seeds_ask_for(client, settings):
    settings.PROVIDER_NAME = "Brightside Training"
    settings.PROVIDER_ADDRESS = "2 Quay Street, Bristol, BS1 4DJ"
    settings.DPO_NAME = "Robin Data"
    settings.DPO_EMAIL = "robin.dpo@brightside.test"
    make_processor(
        name="Faraway Mail",
        purposes=["service_communications"],
        location="United States",
        transfer_mechanism=Processor.TransferMechanism.IDTA,
    )
    html = notice_text(client)
    for expected in (
        "Brightside Training",
        "2 Quay Street, Bristol, BS1 4DJ",
        "robin.dpo@brightside.test",
        "Contract (Art. 6(1)(b))",  # lawful basis
        "Explicit consent (Art. 9(2)(a))",  # Article 9 condition of awarding-body registration
        "Certificate verification",
        "What we keep after your account is deleted",
        "Faraway Mail",
        "International data transfer agreement (IDTA)",
        "sessionid",  # the cookie register
        "How long we keep it",
        "12 months after it is deactivated",
        "Information Commissioner",
        "https://ico.org.uk/make-a-complaint/",
    ):
        assert expected in html, expected
    assert reverse("rights:my_data") in html
    assert reverse("rights:delete_account") in html
    assert reverse("rights:restrict") in html
    assert reverse("certificates:verify_form") in html


def test_the_verifier_section_lists_what_the_verification_page_shows(client):
    section = build_notice()["certificates"]
    assert "Holder name" in section["verifier_sees"]
    assert "Course title" in section["verifier_sees"]
    assert any("Status now" in item for item in section["verifier_sees"])


def test_what_is_kept_after_deletion_comes_from_the_erasure_declarations():
    kept = {item["label"]: item for item in build_notice()["after_deletion"]}
    certificates = kept["Certificates"]
    assert "Name" in certificates["kept"]
    assert "verif" in certificates["reason"]
    assert "Your profile" not in kept  # deleted outright


@pytest.mark.parametrize("language", ["en-gb", "nl", "fr"])
def test_the_notice_lists_nothing_that_is_not_in_the_registry(settings, language):
    """Per language: the published version's content in ``language`` says what the registry
    says, in that language's words."""
    from learnward.core.i18n import use_language
    from learnward.privacy.records.notice import notice_publish_if_changed
    from learnward.privacy.registry.taxonomy import CATEGORIES

    settings.AI_BASE_URL = ""
    content = notice_publish_if_changed().content[language]
    with use_language(language):
        assert content == build_notice()
        in_use = purposes_in_use()
        assert [p["key"] for p in content["purposes"]] == in_use
        assert [p["name"] for p in content["purposes"]] == [str(PURPOSES[k].name) for k in in_use]
        assert [p["basis"] for p in content["purposes"]] == [
            str(PURPOSES[k].basis.label) for k in in_use
        ]
        declared_purposes = {k for d in personal_declarations() for k in d.purposes}
        assert set(in_use) == declared_purposes - {"ai_assistance"}
        shown = [d for d in personal_declarations() if set(d.purposes) & set(in_use)]
        assert [d["label"] for d in content["data"]] == [d.display_label for d in shown]
        assert [r["label"] for r in content["retention"]] == [d.display_label for d in shown]
        assert [d["source"] for d in content["data"]] == [str(d.source) for d in shown]
        labels = {str(c.label) for c in CATEGORIES.values()}
        assert all(set(d["categories"]) <= labels for d in content["data"])
    make_processor(name="Courier", purposes=["service_communications"])
    assert "service_communications" in purposes_in_use()  # a processor's purpose is in use
    # Only models used by AI features alone drop out while those features are off.
    hidden = [d for d in personal_declarations() if d not in shown]
    assert all(set(d.purposes) <= {"ai_assistance"} for d in hidden)
    assert content["processors"] == []  # none recorded
    if language != "en-gb":  # really in that language, not English with another label
        english = notice_publish_if_changed().content["en-gb"]
        assert content["purposes"][0]["name"] != english["purposes"][0]["name"]


def test_a_purpose_added_in_code_appears_and_disappears_when_removed(client, telescope_purpose):
    html = notice_text(client)
    assert "Recording the stars you watched" in html
    assert "Telescope bookings" in html
    assert "Until the end of the observing season." in html
    registry.undeclare(apps.get_model("core", "telescopebooking"))
    html = notice_text(client)
    assert "Recording the stars you watched" not in html
    assert "Telescope bookings" not in html


def test_a_processor_appears_and_disappears_with_the_register(client):
    processor = make_processor(name="Cumulus Storage")
    assert "Cumulus Storage" in notice_text(client)
    processor.active = False
    processor.save()
    assert "Cumulus Storage" not in notice_text(client)
    processor.active = True
    processor.save()
    assert "Cumulus Storage" in notice_text(client)
    processor.delete()
    assert "Cumulus Storage" not in notice_text(client)


def test_a_processor_for_a_purpose_not_in_use_is_not_listed(settings):
    settings.AI_BASE_URL = ""
    make_processor(name="Clever Bot", purposes=["ai_assistance"])
    content = build_notice()
    assert content["ai"] is None
    assert "Clever Bot" not in str(content)


def test_ai_features_are_described_when_a_provider_is_configured(settings, client):
    settings.AI_BASE_URL = "http://127.0.0.1:9/v1"
    make_processor(
        name="Clever Bot",
        service="Answers questions",
        purposes=["ai_assistance"],
        data_categories=["user.content.ai_interaction"],
        location="United States",
        transfer_mechanism=Processor.TransferMechanism.SCCS,
    )
    html = notice_text(client)
    assert '<h2 id="ai">AI-assisted features</h2>' in html
    assert "Clever Bot" in html
    settings.AI_BASE_URL = ""
    html = notice_text(client)
    assert '<h2 id="ai">' not in html
    assert "Clever Bot" not in html


def test_a_changed_retention_period_changes_the_notice(settings):
    settings.RETENTION_MONTHS = {"LEARNWARD_RETENTION_ACTIVITY_MONTHS": 36}
    rows = {r["label"]: r for r in build_notice()["retention"]}
    assert "3 years" in rows["Lessons you viewed and completed"]["rule"]


def test_transfers_list_only_processors_outside_the_uk():
    make_processor(name="Home Host")
    make_processor(
        name="Abroad Host",
        location="Canada",
        transfer_mechanism=Processor.TransferMechanism.ADEQUACY,
    )
    transfers = build_notice()["transfers"]
    assert [t["name"] for t in transfers] == ["Abroad Host"]
    assert transfers[0]["transfer"] == "UK adequacy regulations"


def test_the_notice_says_what_happens_automatically_never_a_command(client, settings):
    """Sessions: "deleted automatically after 14 days", not "removed by `learnward clearsessions`";
    the guardian's request: its period in days, not a setting's name."""
    from tests.core.plain_words import plain_words_problems, visible_text

    html = notice_text(client)
    text = visible_text(html)
    days = settings.SESSION_COOKIE_AGE // 86400
    assert f"deleted automatically after {days} days" in text
    assert "clearsessions" not in text and "prune_db_task_results" not in text
    assert "expire_guardian_requests" not in text and "LEARNWARD_GUARDIAN_CONSENT_DAYS" not in text
    assert plain_words_problems(html) == []
