"""The privacy notice in each language, published together; the supervisory authority as
configured; the records of processing, breach notices and the export's README in the reader's
language. Known Dutch and French phrases are asserted, and the English ones are absent."""

from __future__ import annotations

import csv
import importlib
import io
import zipfile

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import translation

from learnward.core.i18n import use_language
from learnward.privacy.records import breaches
from learnward.privacy.records.models import NoticeAcknowledgement, NoticeVersion
from learnward.privacy.records.notice import (
    build_notice,
    content_hash,
    notice_publish_if_changed,
)
from learnward.privacy.records.ropa import CSV_COLUMNS, build_ropa, ropa_csv

pytestmark = pytest.mark.django_db


def page(client, name: str, language: str, *args) -> str:
    with translation.override(language):
        url = reverse(name, args=args)
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_notice_at_nl_is_dutch(client):
    html = page(client, "privacy:notice", "nl")
    assert '<html lang="nl"' in html
    for dutch in (
        "<h1>Privacyverklaring</h1>",
        '<h2 id="controller">Wie wij zijn</h2>',
        '<h2 id="complaints">Een klacht indienen</h2>',
        "Uitvoering van een overeenkomst (art. 6, lid 1, onder b))",  # a lawful basis
        "Uw account beheren",  # a purpose
        "E-mailadres",  # a data category
        "U, wanneer u het platform gebruikt",  # a declaration's source
        "Wijzigingen in deze privacyverklaring",
    ):
        assert dutch in html, dutch
    for english in (
        "Who we are",
        "Running your account",
        "Contract (Art. 6(1)(b))",
        "Lawful basis",
    ):
        assert english not in html, english


def test_the_notice_at_fr_is_french(client):
    html = page(client, "privacy:notice", "fr")
    assert '<html lang="fr"' in html
    for french in (
        "<h1>Déclaration de confidentialité</h1>",
        '<h2 id="controller">Qui nous sommes</h2>',
        "Exécution d'un contrat (art. 6, paragraphe 1, point b))",
        "Gestion de votre compte",
        "Adresse e-mail",
        "Vous, lorsque vous utilisez la plateforme",
        "Base juridique",
    ):
        assert french in html.replace("&#x27;", "'"), french
    for english in ("Who we are", "Running your account", "Lawful basis", "Email address"):
        assert english not in html, english


@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("nl", ["Gegevensbeschermingsautoriteit (GBA)", "Drukpersstraat 35, 1000 Brussel"], "ICO"),
        ("fr", ["Autorité de protection des données (APD)", "1000 Bruxelles, Belgique"], "ICO"),
        ("en-gb", ["Data Protection Authority (DPA)", "Belgium"], "Information Commissioner"),
    ],
)
def test_the_belgian_authority_is_named_when_configured(
    client, settings, language, expected, absent
):
    settings.SUPERVISORY_AUTHORITY = "be-apd"
    html = page(client, "privacy:notice", language).replace("&#x27;", "'")
    complaints = html[html.index('id="complaints"') :]
    for text in expected:
        assert text in complaints, text
    assert absent not in complaints
    assert "ico.org.uk" not in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Information Commissioner's Office (ICO), de Britse toezichthoudende autoriteit"),
        ("fr", "Information Commissioner's Office (ICO), l'autorité de contrôle britannique"),
    ],
)
def test_the_ico_is_named_in_each_language_when_configured(client, settings, language, expected):
    settings.SUPERVISORY_AUTHORITY = "ico"
    html = page(client, "privacy:notice", language).replace("&#x27;", "'")
    assert expected in html
    assert "https://ico.org.uk/make-a-complaint/" in html
    assert "Gegevensbeschermingsautoriteit" not in html


def test_every_language_is_published_together_as_one_version():
    version = notice_publish_if_changed()
    assert set(version.content) == {"en-gb", "nl", "fr"}
    assert version.content["en-gb"]["purposes"][0]["name"] == "Running your account"
    assert version.content["nl"]["purposes"][0]["name"] == "Uw account beheren"
    assert version.content["fr"]["purposes"][0]["name"] == "Gestion de votre compte"
    # The links in each language's content lead to that language's pages.
    rights = {
        language: version.content[language]["rights"][0]["url"] for language in version.content
    }
    assert rights["nl"].startswith("/nl/") and rights["fr"].startswith("/fr/")
    assert not rights["en-gb"].startswith(("/nl/", "/fr/"))
    assert content_hash(version.content) == version.content_hash
    assert notice_publish_if_changed().pk == version.pk


def test_a_change_in_one_translation_publishes_a_version_that_is_not_material():
    first = notice_publish_if_changed()
    content = {language: dict(c) for language, c in first.content.items()}
    content["fr"]["security"] = "Une ancienne traduction."
    NoticeVersion.objects.filter(pk=first.pk).update(
        content=content, content_hash=content_hash(content)
    )
    version = notice_publish_if_changed()
    assert version.number == 2
    assert version.material is False  # judged on the English text, which did not change
    assert version.changed_sections == []


def test_changed_sections_are_shown_in_the_readers_language(client, settings):
    notice_publish_if_changed()
    settings.DPO_EMAIL = "new.dpo@example.test"
    version = notice_publish_if_changed()
    assert version.changed_sections == ["Who we are", "How to complain"]
    with use_language("nl"):
        assert version.changed_section_titles == ["Wie wij zijn", "Een klacht indienen"]
    html = page(client, "privacy:notice", "fr")
    assert "modifications : Qui nous sommes, Comment introduire une réclamation" in html


def test_a_learner_acknowledges_the_version_in_the_language_they_read(client, make_user):
    learner = make_user()
    client.force_login(learner)
    page(client, "privacy:notice", "fr")
    acknowledgement = NoticeAcknowledgement.objects.get(user=learner)
    assert acknowledgement.language == "fr"


def test_a_version_from_before_the_translations_is_shown_in_english(client):
    with use_language("en-gb"):
        english = build_notice()
    NoticeVersion.objects.create(
        number=1,
        content_hash="old",
        content={"en-gb": english},
        published_at="2026-01-01T00:00:00Z",
    )
    current = notice_publish_if_changed()  # every language now: a new version, not material
    assert current.number == 2 and current.material is False
    html = page(client, "privacy:notice_version", "nl", 1)
    assert "Running your account" in html  # the content as published, in English
    assert "Dit is een eerdere versie." in html  # the page around it in Dutch


def test_the_migration_wraps_old_content_as_english_and_back():
    migration = importlib.import_module(
        "learnward.privacy.records.migrations.0002_notice_in_each_language"
    )
    with use_language("en-gb"):
        old = build_notice()
    version = NoticeVersion.objects.create(
        number=1, content_hash="old", content=old, published_at="2026-01-01T00:00:00Z"
    )
    migration.wrap_content(django_apps, None)
    version.refresh_from_db()
    assert version.content == {"en-gb": old}
    migration.wrap_content(django_apps, None)  # twice changes nothing
    version.refresh_from_db()
    assert version.content == {"en-gb": old}
    migration.unwrap_content(django_apps, None)
    version.refresh_from_db()
    assert version.content == old


def test_the_records_of_processing_in_french_keep_their_csv_columns(client, make_user):
    dpo = make_user(roles=["Data protection officer"])
    client.force_login(dpo)
    html = page(client, "privacy_staff:ropa", "fr")
    assert translation.get_language() == "en-gb"  # the request left nothing behind
    assert "Registre des activités de traitement" in html
    assert "Catégories de personnes concernées" in html
    assert "Categories of data subjects" not in html
    with use_language("fr"):
        text = ropa_csv(build_ropa())
    rows = [line for line in text.splitlines() if not line.startswith("#")]
    assert text.startswith("# Responsable du traitement : ")
    reader = csv.reader(io.StringIO("\n".join(rows)))
    assert tuple(next(reader)) == CSV_COLUMNS  # the column keys do not change
    account = [row for row in reader if row[0] == "account"]
    assert account and account[0][1] == "Gestion de votre compte"
    assert account[0][2] == "Exécution d'un contrat (art. 6, paragraphe 1, point b))"


def test_a_breach_notice_reaches_a_dutch_learner_in_dutch(
    make_user, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.SUPERVISORY_AUTHORITY = "be-apd"
    settings.PROVIDER_NAME = "Coursle"
    dpo = make_user(roles=["Data protection officer"])
    dutch = make_user(email="an@example.test", language="nl", display_name="An")
    english = make_user(email="ben@example.test", language="en-gb", display_name="Ben")
    breach = breaches.breach_record(
        actor=dpo,
        title="Verkeerd verstuurd",
        detected_at=breaches.timezone.now(),
        nature="Een lijst werd naar de verkeerde klant gestuurd.",
        likely_consequences="Ongewenste e-mails.",
        measures_taken="De ontvanger heeft de lijst verwijderd.",
    )
    breaches.breach_decide_people(breach=breach, actor=dpo, decision="notify", reasons="Risico")
    with django_capture_on_commit_callbacks(execute=True):
        breaches.breach_notify_people(breach=breach, actor=dpo, users=[dutch, english])
    by_address = {m.to[0]: m for m in mailoutbox}
    nl = by_address["an@example.test"]
    assert nl.subject == "Belangrijk: een datalek bij Coursle treft u"
    for text in ("Beste An,", "Wat er is gebeurd", "Wat dit voor u kan betekenen", "GBA"):
        assert text in nl.body, text
    assert "gegevensbeschermingsautoriteit.be" in nl.body
    assert "What happened" not in nl.body
    html = nl.alternatives[0][0]
    assert "Wat wij hebben gedaan" in html
    en = by_address["ben@example.test"]
    assert en.subject == "Important: a data breach at Coursle affects you"
    assert "What happened" in en.body and "dataprotectionauthority.be" in en.body


def test_the_export_readme_is_in_the_subjects_language_and_file_names_stay(make_user, settings):
    from learnward.privacy.registry.export import export_subject_to

    settings.SUPERVISORY_AUTHORITY = "be-apd"
    names = {}
    readmes = {}
    for language in ("en-gb", "fr"):
        user = make_user(language=language, display_name=f"Camille {language}")
        buffer = io.BytesIO()
        with use_language("nl"):  # whatever the worker's language, the subject's decides
            manifest = export_subject_to(user=user, fileobj=buffer, include_attachments=False)
        archive = zipfile.ZipFile(buffer)
        names[language] = sorted(archive.namelist())
        readmes[language] = archive.read("README.html").decode()
        assert manifest["files"]
    assert names["fr"] == names["en-gb"]
    assert any(name.startswith("account/") for name in names["fr"])
    french = readmes["fr"]
    assert '<html lang="fr">' in french
    assert "Vos données chez" in french and "Gestion de votre compte" in french
    assert "Autorité de protection des données (APD)" in french
    assert "Your data from" not in french
    assert "Your data from" in readmes["en-gb"]


@pytest.mark.parametrize(
    ("language", "moment", "yes", "none"),
    [
        ("en-gb", "6 December 2026, 01:20", "Yes", "none"),
        ("nl", "6 december 2026, 01:20", "Ja", "geen"),
        ("fr", "6 décembre 2026, 01:20", "Oui", "aucun"),
    ],
)
def test_plain_values_follow_the_language(settings, language, moment, yes, none):
    import datetime as dt
    from decimal import Decimal

    from learnward.privacy.registry.plain import human

    settings.TIME_ZONE = "Europe/London"
    with use_language(language):
        assert human(dt.datetime(2026, 12, 6, 1, 20, tzinfo=dt.UTC)) == moment
        assert human(True) == yes
        assert human(None) == none
        assert human(Decimal("1.50")) == ("1.5" if language == "en-gb" else "1,5")
