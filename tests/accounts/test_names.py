"""Names with control or direction characters reach neither the database nor the verification
page and API; Arabic and Hebrew names are stored as typed (NFC), a decomposed "é" composed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.apps import apps as django_apps
from django.utils import timezone

from learnward.accounts.models import User
from learnward.audit.models import AuditEntry

from .conftest import signup_data

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
PROFILE = "/accounts/profile/"
ARABIC = "فاطمة الزهراء"
HEBREW = "שׂרה לוי"

HOSTILE = [
    ("Nia\x07 Newperson", "control character (U+0007, bell)"),
    ("Nia\x1b[2J Newperson", "control character (U+001B, escape)"),
    ("Nia Newperson\r\nBcc: everyone@example.test", "must be on one line"),
    ("Nia \u202enosrepweN", "changes the direction of the text (U+202E, right-to-left override)"),
]


@pytest.mark.parametrize(("name", "message"), HOSTILE)
def test_sign_up_refuses_the_name_with_a_message_and_stores_nothing(
    client, commit, locmem_mail, name, message
):
    response = commit(client.post, SIGNUP, signup_data(display_name=name))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_display_name"' in html
    assert message in html
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()
    assert locmem_mail == []


@pytest.mark.parametrize(("name", "message"), HOSTILE)
def test_the_profile_refuses_the_name_and_keeps_the_old_one(client, make_user, name, message):
    user = make_user(display_name="Ann Example")
    client.force_login(user)
    response = client.post(PROFILE, {"display_name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Ann Example"
    assert not AuditEntry.objects.filter(action="user.profile_changed").exists()


@pytest.mark.parametrize("name", [ARABIC, HEBREW])
def test_right_to_left_names_are_stored_as_typed(client, commit, locmem_mail, name):
    response = commit(client.post, SIGNUP, signup_data(display_name=name))
    assert response.status_code == 302
    assert User.objects.get().display_name == name
    assert name in locmem_mail[0].body


def test_a_decomposed_name_is_stored_composed(client, make_user):
    user = make_user(display_name="Ann Example")
    client.force_login(user)
    assert client.post(PROFILE, {"display_name": "Rene\u0301e Dupont"}).status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Ren\u00e9e Dupont"


def test_the_services_refuse_what_the_forms_refuse(make_user):
    from learnward.accounts.services import user_update_profile
    from learnward.core.text import NameNotAllowed

    user = make_user(display_name="Ann Example")
    with pytest.raises(NameNotAllowed):
        user_update_profile(user=user, display_name="Ann\u202eLee", actor=user)
    assert user_update_profile(user=user, display_name="Rene\u0301e", actor=user)
    user.refresh_from_db()
    assert user.display_name == "Ren\u00e9e"


def test_staff_correcting_a_name_in_the_admin_follow_the_same_rules(make_user):
    from learnward.accounts.admin import UserRolesForm

    user = make_user(display_name="Ann Example")
    form = UserRolesForm({"display_name": "Ann\u202eLee", "roles": []}, instance=user)
    assert not form.is_valid()
    assert "The name contains a hidden character" in form.errors["display_name"][0]
    form = UserRolesForm({"display_name": "Rene\u0301e", "roles": []}, instance=user)
    assert form.is_valid() and form.cleaned_data["display_name"] == "Ren\u00e9e"


@pytest.fixture
def issue_certificate(settings, tmp_path):
    from learnward.catalog.models import Course
    from learnward.certificates.services import certificate_issue_for_completion
    from learnward.learning.models import Completion, Enrolment

    settings.ISSUER_KEY = ""
    settings.ISSUER_KEY_FILE = tmp_path / "keys" / "issuer_ed25519"
    course = Course.objects.create(
        title="Safeguarding", slug="safeguarding", summary="A course.", cpd_hours=Decimal(3),
        certificate_validity_months=12, published=True,
    )  # fmt: skip

    def issue(user):
        now = timezone.now()
        enrolment = Enrolment.objects.create(user=user, course=course, enrolled_at=now)
        completion = Completion.objects.create(enrolment=enrolment, completed_at=now)
        return certificate_issue_for_completion(completion=completion)

    return issue


def test_an_override_typed_into_the_profile_never_reaches_the_verification_page_or_api(
    client, make_user, issue_certificate
):
    user = make_user(display_name="Ann Example")
    client.force_login(user)
    for name, _ in HOSTILE:
        client.post(PROFILE, {"display_name": name})
    certificate = issue_certificate(user)
    client.logout()
    page = client.get(f"/verify/{certificate.display_code}/").content.decode()
    api = client.get(f"/api/v1/certificates/{certificate.display_code}")
    assert "Ann Example" in page and api.json()["holder_name"] == "Ann Example"
    for hidden in ("\x07", "\x1b", "\u202e", "Bcc:", "nosrepweN", "everyone@example.test"):
        assert hidden not in page
        assert hidden not in api.content.decode()


# --- names stored before the rules: the data migration ------------------------------------------


def test_the_migration_cleans_stored_names_and_keeps_clean_ones(make_user):
    from importlib import import_module

    migration = import_module("learnward.accounts.migrations.0004_normalise_display_names")
    stored = {
        "Ann Lee\r\nBcc: x@example.test": "Ann Lee Bcc: x@example.test",
        "Ann\x07\x1bLee": "Ann Lee",
        "Bob \u202eeeL": "Bob eeL",
        "Rene\u0301e": "Ren\u00e9e",
        "\u202e\u3164": "Name needed",
        ARABIC: ARABIC,
        HEBREW: HEBREW,
        "Plain Name": "Plain Name",
    }
    users = {name: make_user(display_name=name) for name in stored}
    migration.normalise_display_names(django_apps, None)
    for name, expected in stored.items():
        users[name].refresh_from_db()
        assert users[name].display_name == expected
    migration.normalise_display_names(django_apps, None)  # idempotent
    assert sorted(User.objects.values_list("display_name", flat=True)) == sorted(stored.values())


def _name_fields():
    from learnward.accounts.admin import UserRolesForm
    from learnward.accounts.forms import ProfileForm, SignUpForm
    from learnward.certificates.forms import ReissueForm
    from learnward.privacy.rights.forms import RequestForm
    from learnward.support.forms import ContactForm

    return [
        (SignUpForm, "display_name"),
        (ProfileForm, "display_name"),
        (UserRolesForm, "display_name"),
        (ContactForm, "name"),
        (RequestForm, "requester_name"),
        (ReissueForm, "holder_name"),
    ]


def test_every_form_that_takes_a_persons_name_applies_the_rule():
    from learnward.core.forms import PersonNameField

    for form_class, name in _name_fields():
        field = form_class.base_fields[name]
        assert isinstance(field, PersonNameField), f"{form_class.__name__}.{name}"
        with pytest.raises(forms.ValidationError) as caught:
            field.clean("Ann\u202eLee")
        assert "changes the direction of the text" in caught.value.messages[0]
        assert field.clean("Rene\u0301e " + ARABIC) == "Ren\u00e9e " + ARABIC
