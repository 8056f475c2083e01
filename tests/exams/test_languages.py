"""Exams in Dutch and French: the learner's "My exam results" with decimal commas, the
result notice in the learner's saved language (sent by the periodic release job), and the
teacher's pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from learnward.exams.services import (
    Entry,
    exam_release_schedule,
    exam_results_enter,
    exam_results_release_due,
)
from learnward.notifications.models import Notification


def test_results_page_in_dutch_with_a_decimal_comma(client, sitting, teacher, learners):
    a = learners[0]
    exam_results_enter(
        actor=teacher, sitting=sitting, entries=[Entry(user=a, marks=Decimal("77.5"))]
    )
    exam_release_schedule(actor=teacher, sitting=sitting, release_at=timezone.now())
    client.force_login(a)
    page = client.get("/nl/exams/results/").content.decode()
    assert "Mijn examenresultaten" in page and "My exam results" not in page
    assert "77,5 op 100" in page and "77.5" not in page
    assert "Geslaagd" in page
    assert "14 maart 2026" in page  # the exam date, in Dutch


def test_the_result_notice_is_in_each_learners_language(
    sitting, teacher, learners, time_machine, django_capture_on_commit_callbacks
):
    fr, nl, en = learners
    fr.language, nl.language = "fr", "nl"
    fr.save(update_fields=["language"])
    nl.save(update_fields=["language"])
    exam_results_enter(
        actor=teacher,
        sitting=sitting,
        entries=[Entry(user=person, marks=Decimal("70")) for person in learners],
    )
    release_at = timezone.now() + timedelta(hours=1)
    exam_release_schedule(actor=teacher, sitting=sitting, release_at=release_at)
    time_machine.move_to(release_at + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        exam_results_release_due()  # the periodic job: no request, no active language
    notice = {n.user_id: n for n in Notification.objects.filter(kind="marking_done")}
    assert notice[fr.pk].title == "Votre résultat pour Practical exam est disponible"
    assert notice[fr.pk].url == "/fr/exams/results/"
    assert notice[nl.pk].title == "Uw resultaat voor Practical exam is bekend"
    assert notice[nl.pk].url == "/nl/exams/results/"
    assert notice[en.pk].title == "Your result for Practical exam is out"
    assert notice[en.pk].url == "/exams/results/"


def test_the_teachers_sitting_page_in_french(client, sitting, teacher, learners):
    client.force_login(teacher)
    page = client.get(f"/fr/exams/teach/{sitting.pk}/").content.decode()
    assert "Enregistrer les points" in page and "Save the marks" not in page
    assert "60 pour réussir, sur 100" in page
    assert "Publier les résultats" in page
