"""The evaluation invitation is written in the learner's saved language, though it is sent by a
periodic job; the pages are translated at /nl/ and /fr/."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone


@pytest.fixture
def course(db):
    from learnward.catalog.models import Course

    return Course.objects.create(
        title="Manual handling",
        slug="manual-handling",
        summary="Lift safely.",
        cpd_hours=3,
        published=True,
    )


@pytest.fixture
def complete(course):
    from learnward.learning.models import Completion, Enrolment

    def factory(user):
        now = timezone.now()
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=now)
        return Completion.objects.create(enrolment=enrolment, completed_at=now)

    return factory


@pytest.mark.parametrize(
    ("language", "subject", "phrase", "prefix"),
    [
        (
            "nl",
            "Hoe was Manual handling?",
            "Gefeliciteerd met het voltooien van Manual handling.",
            "/nl/",
        ),
        (
            "fr",
            "Comment s'est passé Manual handling ?",
            "Félicitations, vous avez terminé Manual handling.",
            "/fr/",
        ),
    ],
)
def test_the_invitation_is_in_the_learners_language(
    smtp_server, make_user, complete, language, subject, phrase, prefix
):
    user = make_user(email="sam@example.test", display_name="Sam", language=language)
    completion = complete(user)
    call_command("evaluation_invitations")
    [mail] = smtp_server.to("sam@example.test")
    assert mail.subject == subject
    assert phrase in mail.text
    assert "Congratulations" not in mail.text and "Hello" not in mail.text
    link = next(url for url in mail.links() if "/evaluations/" in url)
    assert link.endswith(f"{prefix}evaluations/{completion.pk}/")


def test_an_english_learner_still_gets_english(smtp_server, make_user, complete):
    complete(make_user(email="sam@example.test", display_name="Sam"))
    call_command("evaluation_invitations")
    [mail] = smtp_server.to("sam@example.test")
    assert mail.subject == "How was Manual handling?"
    assert "Hello Sam," in mail.text


def test_the_evaluation_page_in_french_records_the_french_consent(client, make_user, complete):
    from learnward.privacy.consent.models import ConsentRecord

    user = make_user()
    completion = complete(user)
    client.force_login(user)
    page = client.get(f"/fr/evaluations/{completion.pk}/").content.decode()
    assert "Évaluer Manual handling" in page and "Evaluate Manual handling" not in page
    assert "Envoyer l&#x27;évaluation" in page or "Envoyer l'évaluation" in page
    client.post(
        f"/fr/evaluations/{completion.pk}/",
        {"rating": "5", "comments": "Très clair.", "research": "on"},
    )
    record = ConsentRecord.objects.get(purpose="research")
    assert "peut utiliser les commentaires de mon évaluation de « Manual handling »" in record.text
