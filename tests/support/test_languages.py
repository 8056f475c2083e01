"""The support desk writes to each enquirer in their language: an account's saved language, or,
for someone without an account, the language of the page they wrote from."""

import time_machine

from learnward.support.models import Enquiry
from learnward.support.services import complaint_final_response, enquiry_reply, enquiry_submit


def test_a_dutch_complainant_gets_a_dutch_acknowledgement_with_dutch_links(
    smtp_server, make_user, settings
):
    settings.COMPLAINT_RESPONSE_DAYS = 20
    kay = make_user(email="kay@example.test", display_name="Kay", language="nl")
    with time_machine.travel("2025-05-01 10:00Z"):
        complaint = enquiry_submit(
            kind="complaint", subject="Te laat", body="Drie weken.", user=kay
        )
    [ack] = smtp_server.to("kay@example.test")
    assert ack.subject.strip() == f"Wij hebben uw klacht {complaint.reference} ontvangen"
    assert "Beste Kay," in ack.text
    assert "21 mei 2025" in ack.text  # the date in Dutch, not "21 May 2025"
    assert f"Referentie: {complaint.reference}" in ack.text
    assert "Hello" not in ack.text and "Reference:" not in ack.text
    assert any("/nl/support/thread/" in link for link in ack.links())


def test_a_french_final_response_names_the_belgian_authority_in_french(
    smtp_server, make_user, settings
):
    settings.SUPERVISORY_AUTHORITY = "be-apd"
    desk = make_user(email="desk@example.test", roles=["Administrator"])  # reads English
    camille = make_user(email="camille@example.test", display_name="Camille", language="fr")
    complaint = enquiry_submit(
        kind="complaint", subject="Retard", body="Trois semaines.", user=camille
    )
    complaint_final_response(enquiry=complaint, body="Nous avons corrigé cela.", actor=desk)
    final = smtp_server.to("camille@example.test")[-1]
    assert (
        final.subject.strip()
        == f"Notre réponse définitive à votre réclamation {complaint.reference}"
    )
    assert "Bonjour Camille," in final.text
    assert "Autorité de protection des données (APD)" in final.text
    assert "https://www.autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte" in (
        final.text
    )
    assert "Information Commissioner" not in final.text


def test_a_visitor_on_a_french_page_is_answered_in_french(client, smtp_server, make_user):
    response = client.post(
        "/fr/support/contact/",
        {
            "name": "Robin",
            "email": "robin@example.test",
            "subject": "Tarifs",
            "message": "Avez-vous des tarifs de groupe ?",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.language == "fr"
    desk = make_user(email="desk@example.test", roles=["Administrator"])
    enquiry_reply(enquiry=enquiry, body="Oui.", actor=desk)
    [reply] = smtp_server.to("robin@example.test")
    assert reply.subject.strip() == f"Réponse à votre message {enquiry.reference}"
    assert "Bonjour Robin," in reply.text
    assert any("/fr/support/thread/" in link for link in reply.links())


def test_the_contact_page_in_french(client, db):
    page = client.get("/fr/support/contact/").content.decode()
    assert "<h1>Nous contacter</h1>" in page
    assert "Votre adresse e-mail" in page
    # (the footer is the layout's, translated with it: only this page's own text is checked)
    assert "<h1>Contact us</h1>" not in page and "Your email address" not in page


def test_the_contact_page_in_dutch_keeps_its_form_errors_in_dutch(client, db):
    response = client.post("/nl/support/contact/", {"name": "", "email": "", "subject": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Vul uw naam in." in page and "Schrijf een onderwerp." in page
    assert "Enter your name." not in page
