"""Certificates in the holder's language: the PDF (and its picture), the Open Badges wording and
the expiry reminder follow the holder's saved language; the pages follow the page's language;
the addresses others are given (QR code, verification link, credential ids) have no prefix."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from learnward.certificates.credentials.openbadges import unsigned_credential
from learnward.certificates.pdf import certificate_pdf_bytes, verification_url
from learnward.certificates.services import certificate_issue, certificate_revoke
from learnward.certificates.thumbnail import thumbnail_key
from learnward.core.i18n import use_language
from tests.certificates.credential_support import verify_credential_file

pytestmark = pytest.mark.django_db


AWARDED = date(2026, 12, 6)


def pdf_text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _certificate(make_user, *, language: str, email: str = "", expires_on=None):
    holder = make_user(
        email=email or f"holder-{language}@example.test",
        display_name="Amira Okafor",
        language=language,
    )
    return certificate_issue(
        user=holder,
        holder_name="Amira Okafor",
        course_title="Safeguarding Adults Level 2",
        cpd_hours="3.5",
        awarded_on=AWARDED,
        expires_on=expires_on or date(2027, 12, 6),
    )


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [
        (
            "nl",
            [
                "Certificaat van",
                "permanente vorming",
                "Hierbij wordt verklaard dat",
                "de volgende cursus met succes heeft afgerond",
                "3,5 CPD-uren",
                "Uitgereikt op 6 december 2026",
                "Verloopt op 6 december 2027",
                "Controleer dit certificaat op",
            ],
            ["This certifies that", "December", "3.5 CPD hours"],
        ),
        (
            "fr",
            [
                "Certificat de formation",
                "professionnelle continue",
                "Nous certifions que",
                "a suivi avec succès le cours",
                "3,5 heures de CPD",
                "Délivré le 6 décembre 2026",
                "Expire le 6 décembre 2027",
                "Vérifiez ce certificat sur",
            ],
            ["This certifies that", "December", "3.5 CPD hours"],
        ),
        (
            "en-gb",
            [
                "Certificate of Continuing",
                "Professional Development",
                "This certifies that",
                "has successfully completed the course",
                "3.5 CPD hours",
                "Awarded on 6 December 2026",
                "Expires on 6 December 2027",
            ],
            ["Hierbij", "Nous certifions"],
        ),
    ],
)
def test_the_pdf_is_written_in_the_holders_saved_language(
    tmp_path, make_user, language, present, absent
):
    certificate = _certificate(make_user, language=language)
    # Whatever language the request is in: the document's language is the holder's.
    with use_language("fr" if language != "fr" else "nl"):
        text = pdf_text(tmp_path, certificate_pdf_bytes(certificate=certificate))
    flat = " ".join(text.split())
    for phrase in present:
        assert phrase in flat, phrase
    for phrase in absent:
        assert phrase not in flat, phrase
    # The QR code and the printed address have no language prefix: a verifier's own browser
    # chooses the page's language.
    assert f"/verify/{certificate.display_code}/" in flat
    assert "/nl/verify/" not in flat and "/fr/verify/" not in flat


def test_the_modern_layout_is_translated_too(tmp_path, make_user):
    certificate = _certificate(make_user, language="fr")
    text = " ".join(
        pdf_text(tmp_path, certificate_pdf_bytes(certificate=certificate, layout="modern")).split()
    )
    assert "Scannez pour vérifier son authenticité" in text
    assert "Heures de CPD" in text
    assert "Scan to check it is genuine" not in text


def test_a_revoked_certificate_is_stamped_in_the_holders_language(tmp_path, make_user):
    certificate = _certificate(make_user, language="nl")
    certificate_revoke(certificate=certificate, reason="Issued in error", actor=None)
    certificate.refresh_from_db()
    text = " ".join(pdf_text(tmp_path, certificate_pdf_bytes(certificate=certificate)).split())
    assert "INGETROKKEN" in text
    assert "Vertrouw niet op dit certificaat." in text
    assert "REVOKED" not in text


def test_the_picture_is_cached_per_language(make_user):
    certificate = _certificate(make_user, language="nl")
    assert thumbnail_key(certificate) == thumbnail_key(certificate, "nl")
    assert thumbnail_key(certificate, "nl") != thumbnail_key(certificate, "fr")
    certificate.user.language = "fr"
    certificate.user.save(update_fields=["language"])
    certificate.refresh_from_db()
    assert thumbnail_key(certificate) == thumbnail_key(certificate, "fr")


def test_the_verification_link_has_no_language_prefix(make_user):
    certificate = _certificate(make_user, language="nl")
    with use_language("nl"):
        url = verification_url(certificate)
    assert url == f"http://127.0.0.1:8000/verify/{certificate.display_code}/"


def test_the_holders_download_is_in_their_saved_language(client, tmp_path, make_user):
    certificate = _certificate(make_user, language="nl")
    client.force_login(certificate.user)
    response = client.get(f"/fr/certificates/{certificate.display_code}/pdf/")
    assert response.status_code == 200
    text = " ".join(pdf_text(tmp_path, response.content).split())
    assert "Hierbij wordt verklaard dat" in text
    assert "Nous certifions que" not in text


def test_the_verification_page_follows_the_page_language(client, make_user):
    certificate = _certificate(make_user, language="nl")
    page = client.get(f"/fr/verify/{certificate.display_code}/").content.decode()
    assert "Ce certificat authentique a été délivré par" in page
    assert "Valable jusqu&#x27;au" in page or "Valable jusqu'au" in page
    assert "5 décembre 2027" in page  # valid until the day before the expiry date
    assert "Nom sur le certificat" in page
    assert "This is a genuine certificate" not in page
    english = client.get(f"/verify/{certificate.display_code}/").content.decode()
    assert "This is a genuine certificate issued by" in english
    assert "5 December 2027" in english


def test_the_holders_pages_in_dutch(client, make_user):
    certificate = _certificate(make_user, language="nl")
    client.force_login(certificate.user)
    page = client.get("/nl/certificates/").content.decode()
    assert "Uw certificaten" in page
    assert "Uitgereikt op 6 december 2026" in page
    assert "Your certificates" not in page
    detail = client.get(f"/nl/certificates/{certificate.display_code}/").content.decode()
    assert "Downloaden en afdrukken" in detail
    assert 'data-msg-copied="Gekopieerd"' in detail
    assert "Download and print" not in detail


def test_the_api_detail_follows_accept_language(client):
    response = client.get("/api/v1/certificates/hello", HTTP_ACCEPT_LANGUAGE="fr")
    body = response.json()
    assert body["error"] == "malformed_code"  # codes do not change
    assert body["detail"].startswith("Ce n'est pas un code de certificat.")
    assert "Accept-Language" in response["Vary"]  # a cache keeps one answer per language
    english = client.get("/api/v1/certificates/hello").json()
    assert english["detail"].startswith("This is not a certificate code.")


def test_the_credential_wording_is_in_the_holders_language_and_the_rest_is_not(tmp_path, make_user):
    certificate = _certificate(make_user, language="fr")
    with translation.override("nl"):
        document = unsigned_credential(certificate)
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["name"] == "Safeguarding Adults Level 2 : certificat de CPD"
    assert document["description"].startswith(
        f"Certificat de CPD {certificate.display_code}, délivré par "
    )
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    assert achievement["description"] == (
        "Réussite du cours de CPD « Safeguarding Adults Level 2 », valant 3,5 heures de CPD."
    )
    assert document["credentialSubject"]["creditsEarned"] == 3.5
    assert "/fr/" not in achievement["image"]["id"] and "/nl/" not in achievement["image"]["id"]
    assert document["validFrom"].startswith("2026-12-06")

    from learnward.certificates.credentials.openbadges import signed_credential

    code, output = verify_credential_file(tmp_path, signed_credential(certificate))
    assert code == 0, output


def test_the_reminder_is_written_in_the_holders_language(make_user, smtp_server, settings):
    from learnward.certificates.reminders import expiry_reminders_send

    today = timezone.localdate()
    holder = make_user(email="anke@example.test", display_name="Anke Peeters", language="nl")
    certificate_issue(
        user=holder,
        holder_name="Anke Peeters",
        course_title="Eerste hulp",
        cpd_hours="2",
        awarded_on=today - timedelta(days=300),
        expires_on=today + timedelta(days=7),
    )
    run = expiry_reminders_send(today=today)
    assert run.total == 1
    (message,) = smtp_server.messages
    assert message.subject == "Uw certificaat voor Eerste hulp verloopt over 7 dagen"
    assert "Beste Anke Peeters," in message.text
    with translation.override("nl"):
        from django.utils.dateformat import format as format_date

        expected = format_date(today + timedelta(days=7), "j F Y")
    assert f"verloopt op {expected}, over 7 dagen" in message.text
    assert "We sturen u deze herinnering" in message.html
    assert "Hello" not in message.text
    assert any("/nl/" in link for link in message.links())
