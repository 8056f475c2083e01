"""Rights pages and rights emails in the reader's language: pages follow the address (/nl/, /fr/),
emails follow the recipient's saved language (User.language) whoever or whatever sends them, and
the supervisory authority named is the configured one."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation

from learnward.privacy.rights import desk, notify
from learnward.privacy.rights.models import RightsRequest, SubjectExport

pytestmark = pytest.mark.django_db


PASSWORD = "correct horse battery"


def test_a_dutch_learner_is_emailed_in_dutch_with_dutch_links_when_deleting_from_an_english_page(
    client, make_user, smtp_server, settings
):
    settings.ERASURE_COOL_OFF_DAYS = 14
    learner = make_user(email="jan@example.test", language="nl")
    client.force_login(learner)
    with (
        time_machine.travel(datetime(2026, 11, 22, 10, 0, tzinfo=UTC), tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        response = client.post("/privacy/my-data/delete/", {"password": PASSWORD})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your account will be deleted" in page  # the page follows its address (English)

    [message] = smtp_server.to("jan@example.test")
    assert message.subject == "Uw account wordt verwijderd"
    assert "We wissen uw gegevens op 6 december 2026." in message.text
    assert "‘Verwijdering annuleren’" in message.text
    assert "Your account" not in message.text and "Cancel the deletion" not in message.text
    assert any(urlsplit(link).path == "/nl/accounts/login/" for link in message.links())


def test_a_french_learners_export_link_arrives_in_french_from_the_worker(
    make_user, smtp_server, settings
):
    settings.EXPORT_DAYS = 7
    learner = make_user(email="claire@example.test", language="fr")
    export = SubjectExport.objects.create(
        user=learner,
        status=SubjectExport.Status.READY,
        expires_at=datetime(2026, 12, 6, 9, 30, tzinfo=UTC),
    )
    # The worker runs in no particular language; the message is written in hers.
    with translation.override("en-gb"):
        notify.export_ready(export)

    [message] = smtp_server.to("claire@example.test")
    assert message.subject.strip() == "Vos données sont prêtes à être téléchargées"
    assert "Bonjour " in message.text
    assert "jusqu'au 6 décembre 2026" in message.text
    assert "The link works" not in message.text
    paths = [urlsplit(link).path for link in message.links()]
    assert f"/fr/privacy/my-data/download/{export.public_id}/" in paths
    assert "/fr/privacy/my-data/" in paths


def test_the_erasure_confirmation_uses_the_language_saved_before_the_account_was_erased(
    client, make_user, smtp_server
):
    learner = make_user(email="noor@example.test", language="nl")
    client.force_login(learner)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/privacy/my-data/delete/", {"password": PASSWORD})
    later = datetime.now(UTC) + timedelta(days=60)
    with time_machine.travel(later, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        call_command("process_erasures", stdout=io.StringIO())
    erased = [m for m in smtp_server.to("noor@example.test") if "verwijderd" in m.subject]
    assert [m.subject for m in erased][-1] == "Uw account is verwijderd"
    assert "Zoals u hebt gevraagd, hebben we uw account" in erased[-1].text


def test_a_requester_without_an_account_is_written_to_in_the_language_of_the_desk_page(
    dpo, smtp_server, settings
):
    settings.SUPERVISORY_AUTHORITY = "be-apd"
    request = desk.request_record(
        kind=RightsRequest.Kind.ACCESS,
        channel=RightsRequest.Channel.LETTER,
        actor=dpo,
        requester_name="Léa Martin",
        requester_email="lea@example.test",
    )
    desk.request_confirm_identity(request=request, actor=dpo, note="Signature matches.")
    with translation.override("fr"), TestCase.captureOnCommitCallbacks(execute=True):
        desk.request_extend(request=request, actor=dpo, months=1, reason="Demande complexe.")

    [message] = smtp_server.to("lea@example.test")
    assert (
        message.subject.strip()
        == "Nous avons besoin de plus de temps pour répondre à votre demande"
    )
    assert "Accès (une copie de ses données)" in message.text
    assert "Motif : Demande complexe." in message.text
    assert (
        "l'autorité de contrôle, l'Autorité de protection des données (APD) : "
        "https://www.autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte"
    ) in message.text
    assert "Information Commissioner" not in message.text


def test_an_account_holders_identity_link_follows_their_saved_language_not_the_desk_page(
    dpo, make_user, smtp_server
):
    learner = make_user(email="piet@example.test", language="nl")
    request = desk.request_record(
        kind=RightsRequest.Kind.ERASURE,
        channel=RightsRequest.Channel.EMAIL,
        actor=dpo,
        requester=learner,
    )
    with translation.override("en-gb"), TestCase.captureOnCommitCallbacks(execute=True):
        desk.request_send_identity_link(request=request, actor=dpo)

    [message] = smtp_server.to("piet@example.test")
    assert message.subject == "Bevestig uw verzoek over uw persoonsgegevens"
    assert "(Wissing (gegevens verwijderen))" in message.text
    assert any(urlsplit(link).path.startswith("/nl/privacy/my-data/") for link in message.links())


def test_my_data_in_french_names_the_configured_authority_and_no_english(
    client, make_user, settings
):
    settings.SUPERVISORY_AUTHORITY = "be-apd"
    learner = make_user(language="fr")
    client.force_login(learner)
    page = client.get("/fr/privacy/my-data/").content.decode()
    assert "<h1>Mes données</h1>" in page
    assert "Obtenir une copie de vos données" in page
    assert "Préparer mes données pour le téléchargement" in page
    assert "l'autorité de contrôle, l'Autorité de protection des données (APD)" in page
    assert "Get a copy of your data" not in page
    assert "Information Commissioner" not in page


def test_my_data_shows_the_language_preference_by_its_name(client, make_user):
    learner = make_user(language="nl")
    client.force_login(learner)
    page = client.get("/privacy/my-data/").content.decode()
    assert "Language preference" in page  # the category, in the page's language
    assert "<dd>Nederlands</dd>" in page  # the choice's label, not the code "nl"


def test_my_data_in_english_names_the_ico_by_default(client, learner):
    client.force_login(learner)
    page = client.get("/privacy/my-data/").content.decode()
    assert (
        "You can also complain to the supervisory authority, the Information Commissioner's "
        "Office (ICO)"
    ) in page.replace("&#x27;", "'")


def test_the_restriction_and_objection_pages_in_dutch(client, learner):
    client.force_login(learner)
    restrict = client.get("/nl/privacy/my-data/restrict/").content.decode()
    assert "De verwerking van uw gegevens beperken" in restrict
    assert "Restrict the processing" not in restrict
    response = client.post("/nl/privacy/my-data/restrict/", {"reason": ""}, follow=True)
    assert "We hebben de verwerking van uw gegevens beperkt." in response.content.decode()
