"""Awarding-body registration: exactly the fields asked for; special categories need consent."""

from datetime import date

import pytest
from django.urls import reverse

from learnward.learning.models import Enrolment, RegistrationDetails
from learnward.learning.registration import RegistrationInvalid, consent_wording
from learnward.learning.services import enrolment_create
from learnward.privacy.registry import declaration_for
from learnward.privacy.registry.purposes import PURPOSES
from tests.catalog.factories import make_awarding_body, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return make_awarding_body(
        name="Example Awarding Organisation",
        purpose="It registers each learner and issues the regulated certificate.",
    )


def _course(body, **requirements):
    return make_course(
        awarding_body=body, **{f"{k}_requirement": v for k, v in requirements.items()}
    )


def test_form_asks_exactly_the_fields_the_body_requires(client, make_user, body):
    course = _course(body, date_of_birth="required", home_postcode="required")
    client.force_login(make_user())
    response = client.get(reverse("learning:enrol", args=[course.slug]))
    assert response.status_code == 200
    text = response.text
    assert 'name="date_of_birth_day"' in text and 'name="home_postcode"' in text
    for absent in ("gender", "ethnicity", "disability", "consent"):
        assert f'name="{absent}"' not in text
    # Who receives the data and why.
    assert "Example Awarding Organisation" in text
    assert "registers each learner and issues the regulated certificate" in text


def test_course_without_awarding_body_asks_nothing(client, make_user):
    course = make_course()
    client.force_login(make_user())
    text = client.get(reverse("learning:enrol", args=[course.slug])).text
    assert "date_of_birth" not in text and "consent" not in text


def test_enrolling_stores_the_required_fields(client, make_user, body):
    user = make_user()
    course = _course(body, date_of_birth="required", home_postcode="required", gender="optional")
    client.force_login(user)
    response = client.post(
        reverse("learning:enrol", args=[course.slug]),
        {"date_of_birth": "1990-03-27", "home_postcode": "sw1a 1aa", "gender": ""},
    )
    assert response.status_code == 302
    details = RegistrationDetails.objects.get(enrolment__user=user)
    assert details.date_of_birth == date(1990, 3, 27)
    assert details.home_postcode == "SW1A 1AA"
    assert details.gender == "" and details.ethnicity == ""
    assert details.special_category_consent_at is None


def test_missing_required_field_is_refused_and_nothing_stored(client, make_user, body):
    user = make_user()
    course = _course(body, date_of_birth="required", home_postcode="required")
    client.force_login(user)
    response = client.post(
        reverse("learning:enrol", args=[course.slug]), {"date_of_birth": "1990-03-27"}
    )
    assert response.status_code == 400
    assert "Home postcode" in response.text
    assert not Enrolment.objects.exists() and not RegistrationDetails.objects.exists()


def test_fields_the_body_does_not_ask_for_are_refused(make_user, body):
    course = _course(body, home_postcode="required")
    with pytest.raises(RegistrationInvalid, match="does not ask for"):
        enrolment_create(
            user=make_user(),
            course=course,
            registration={"home_postcode": "SW1A 1AA", "ethnicity": "white"},
        )
    assert not Enrolment.objects.exists()


def test_extra_posted_fields_are_not_stored(client, make_user, body):
    user = make_user()
    course = _course(body, home_postcode="required")
    client.force_login(user)
    client.post(
        reverse("learning:enrol", args=[course.slug]),
        {"home_postcode": "SW1A 1AA", "ethnicity": "white", "date_of_birth": "1990-01-01"},
    )
    details = RegistrationDetails.objects.get()
    assert details.ethnicity == "" and details.date_of_birth is None


def test_special_categories_are_optional_and_need_no_consent_when_blank(client, make_user, body):
    user = make_user()
    course = _course(body, ethnicity="optional", disability="optional")
    client.force_login(user)
    page = client.get(reverse("learning:enrol", args=[course.slug])).text
    assert 'name="ethnicity"' in page and 'name="consent"' in page
    response = client.post(
        reverse("learning:enrol", args=[course.slug]), {"ethnicity": "", "disability": ""}
    )
    assert response.status_code == 302
    details = RegistrationDetails.objects.get()
    assert details.ethnicity == "" and details.disability == ""
    assert details.special_category_consent_text == ""


def test_special_category_answer_without_consent_is_refused(client, make_user, body):
    course = _course(body, ethnicity="optional")
    client.force_login(make_user())
    response = client.post(reverse("learning:enrol", args=[course.slug]), {"ethnicity": "asian"})
    assert response.status_code == 400
    assert "explicit consent" in response.text
    assert not Enrolment.objects.exists() and not RegistrationDetails.objects.exists()


def test_consent_is_recorded_with_the_exact_wording_shown(client, make_user, body):
    user = make_user()
    course = _course(body, ethnicity="required", disability="optional")
    client.force_login(user)
    page = client.get(reverse("learning:enrol", args=[course.slug])).text
    wording = consent_wording(course)
    assert "Example Awarding Organisation" in wording
    from html import unescape

    assert wording in unescape(page)
    response = client.post(
        reverse("learning:enrol", args=[course.slug]),
        {
            "ethnicity": "mixed",
            "disability": "declared",
            "disability_details": "Dyslexia",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    details = RegistrationDetails.objects.get(enrolment__user=user)
    assert details.ethnicity == "mixed"
    assert details.disability == "declared" and details.disability_details == "Dyslexia"
    assert details.special_category_consent_text == wording
    assert details.special_category_consent_at is not None


def test_required_special_category_must_be_answered(client, make_user, body):
    course = _course(body, ethnicity="required")
    client.force_login(make_user())
    response = client.post(reverse("learning:enrol", args=[course.slug]), {"consent": "on"})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_changed_consent_wording_is_refused(make_user, body):
    course = _course(body, ethnicity="optional")
    with pytest.raises(RegistrationInvalid, match="consent statement has changed"):
        enrolment_create(
            user=make_user(),
            course=course,
            registration={"ethnicity": "white"},
            consent_text="I agree to anything.",
        )
    assert not RegistrationDetails.objects.exists()


def test_bad_values_are_refused(make_user, body):
    course = _course(body, home_postcode="required", gender="required", date_of_birth="required")
    with pytest.raises(RegistrationInvalid) as exc:
        enrolment_create(
            user=make_user(),
            course=course,
            registration={
                "home_postcode": "<script>",
                "gender": "robot",
                "date_of_birth": date(2999, 1, 1),
            },
        )
    assert set(exc.value.errors) == {"home_postcode", "gender", "date_of_birth"}


def test_audit_entry_names_fields_but_never_values(make_user, body):
    from learnward.audit.models import AuditEntry

    user = make_user()
    course = _course(body, home_postcode="required", ethnicity="optional")
    enrolment_create(
        user=user,
        course=course,
        registration={"home_postcode": "SW1A 1AA", "ethnicity": "white"},
        consent_text=consent_wording(course),
    )
    entry = AuditEntry.objects.get(action="learning.enrolled")
    assert entry.payload["registration_fields"] == ["ethnicity", "home_postcode"]
    assert "SW1A" not in str(entry.payload) and "white" not in str(entry.payload)


def test_registry_declares_special_categories_under_the_awarding_body_purpose(body):
    declaration = declaration_for(RegistrationDetails)
    assert declaration.purposes == ("awarding_body_registration",)
    assert declaration.fields["ethnicity"] == "user.demographic.ethnicity"
    assert declaration.fields["disability"] == "user.health_and_medical"
    assert set(declaration.special_categories) == {
        "user.demographic.ethnicity",
        "user.health_and_medical",
    }


def test_awarding_bodies_on_published_courses_are_recipients_of_the_purpose(body):
    hidden = make_awarding_body(name="Body Only On Drafts")
    _course(body, home_postcode="required")
    make_course(awarding_body=hidden, published=False)
    recipients = PURPOSES["awarding_body_registration"].all_recipients()
    assert any("Example Awarding Organisation" in r for r in recipients)
    assert not any("Body Only On Drafts" in r for r in recipients)
