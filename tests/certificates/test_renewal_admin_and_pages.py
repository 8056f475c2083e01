"""Certificate renewal as staff and learners see it: the course admin's renewal route, the demo's
route, and the course page offering a due renewal to its holder."""

from __future__ import annotations

import pytest

from learnward.certificates.models import Certificate
from learnward.certificates.renewal import (
    renewal_course_for,
    renewal_url,
)
from learnward.certificates.services import (
    certificate_renewal_start,
)
from tests.certificates.renewal_support import finish, renewable_course

pytestmark = pytest.mark.django_db


# --- Admin and demo ---------------------------------------------------------------------------


def _course_form(course, **changes) -> dict:
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "description": "",
        "course_type": "vocational",
        "cpd_hours": "2",
        "pass_mark": "70",
        "max_attempts": "3",
        "certificate_layout": "classic",
        "language": "en-gb",
        "certificate_validity_months": str(course.certificate_validity_months or ""),
        "renewal_course": "",
        "entry_requirements": "",
        "awarding_body": "",
        "date_of_birth_requirement": "",
        "home_postcode_requirement": "",
        "gender_requirement": "",
        "ethnicity_requirement": "",
        "disability_requirement": "",
        "modules-TOTAL_FORMS": "0",
        "modules-INITIAL_FORMS": "0",
        "modules-MIN_NUM_FORMS": "0",
        "modules-MAX_NUM_FORMS": "1000",
    }
    if course.published:
        data["published"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def author_client(client, make_user):
    client.force_login(make_user(email="author@example.test", roles=["Course author"]))
    return client


def test_admin_sets_a_renewal_course_itself_or_a_published_refresher(author_client):
    from django.urls import reverse

    course = renewable_course(renews_itself=False)
    refresher = renewable_course(renews_itself=False)
    url = reverse("admin:catalog_course_change", args=[course.pk])
    page = author_client.get(url).content.decode()
    assert 'name="renewal_course"' in page and "admin-autocomplete" in page
    response = author_client.post(url, _course_form(course, renewal_course=str(refresher.pk)))
    assert response.status_code == 302, response.content[:3000]
    course.refresh_from_db()
    assert course.renewal_course == refresher
    response = author_client.post(url, _course_form(course, renewal_course=str(course.pk)))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.renewal_course == course


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"certificate_validity_months": ""}, "certificates never expire"),
        ({"draft_route": True}, "is not published"),
    ],
)
def test_admin_refuses_a_renewal_course_that_cannot_be_taken(author_client, changes, error):
    from django.urls import reverse

    course = renewable_course(renews_itself=False)
    route = renewable_course(renews_itself=False, published=not changes.pop("draft_route", False))
    url = reverse("admin:catalog_course_change", args=[course.pk])
    response = author_client.post(
        url, _course_form(course, renewal_course=str(route.pk), **changes)
    )
    assert response.status_code == 200 and error in response.content.decode()
    course.refresh_from_db()
    assert course.renewal_course is None and course.certificate_validity_months == 12


def test_a_draft_course_may_name_itself_or_a_draft_refresher(author_client):
    from django.urls import reverse

    course = renewable_course(renews_itself=False, published=False)
    url = reverse("admin:catalog_course_change", args=[course.pk])
    response = author_client.post(url, _course_form(course, renewal_course=str(course.pk)))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.renewal_course == course


def test_demo_gives_the_learners_gdpr_certificate_a_renewal_route(client):
    from learnward.catalog.models import Course
    from learnward.core.demo import load_demo

    load_demo()
    gdpr = Course.objects.get(slug="gdpr-essentials-for-training-providers")
    assert gdpr.renewal_course == gdpr
    safeguarding = Course.objects.get(slug="safeguarding-basics")
    assert safeguarding.renewal_course == safeguarding
    certificate = Certificate.objects.get(user__email="learner@learnward.test", course=gdpr)
    assert renewal_course_for(certificate) == gdpr
    client.force_login(certificate.user)
    assert b"Start renewal" in client.get(renewal_url(certificate)).content
    certificates = Certificate.objects.count()
    load_demo()  # idempotent
    assert Certificate.objects.filter(user=certificate.user, course=gdpr).count() == 1
    assert Certificate.objects.count() == certificates


# --- The course page offers the renewal --------------------------------------------------------


def test_the_course_page_offers_renewal_only_to_the_holder_when_it_is_due(
    client, make_user, time_machine
):
    learner, other = make_user(), make_user()
    course = renewable_course(title="Manual Handling", validity=12)
    time_machine.move_to("2026-01-10 10:00Z")
    certificate = finish(learner, course)  # expires 10 January 2027
    page = f"/courses/{course.slug}/"

    client.force_login(learner)
    assert renewal_url(certificate) not in client.get(page).content.decode()  # a year to go

    time_machine.move_to("2026-12-01 10:00Z")  # 40 days left: expiring soon
    client.force_login(learner)  # sessions do not last months
    body = client.get(page).content.decode()
    assert f'href="{renewal_url(certificate)}"' in body
    assert "expires on 10 January 2027" in body

    time_machine.move_to("2027-02-01 10:00Z")
    client.force_login(learner)
    assert "expired on 10 January 2027" in client.get(page).content.decode()

    client.force_login(other)
    assert renewal_url(certificate) not in client.get(page).content.decode()
    client.logout()
    assert renewal_url(certificate) not in client.get(page).content.decode()

    # Once renewed, the old certificate is no longer offered, and the new one is years away.
    client.force_login(learner)
    certificate_renewal_start(certificate=certificate, actor=learner)
    finish(learner, course)
    assert "Renew your certificate" not in client.get(page).content.decode()


def test_a_refresher_course_page_names_the_certificate_it_renews(client, make_user, time_machine):
    learner = make_user()
    refresher = renewable_course(title="Fire Safety Refresher", validity=24, renews_itself=False)
    course = renewable_course(
        title="Fire Safety", validity=12, renews_itself=False, renewal_course=refresher
    )
    time_machine.move_to("2026-01-10 10:00Z")
    certificate = finish(learner, course)
    time_machine.move_to("2027-01-05 10:00Z")
    client.force_login(learner)
    body = client.get(f"/courses/{refresher.slug}/").content.decode()
    assert f"{certificate.display_code}</strong> for Fire Safety expires on" in body
    assert f'href="{renewal_url(certificate)}"' in body
    refresher.published = False
    refresher.save(update_fields=["published"])
    # No published route, no offer (the page of the original course included).
    assert "Renew your certificate" not in client.get(f"/courses/{course.slug}/").content.decode()
