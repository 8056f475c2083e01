from datetime import date

import pytest
from django.urls import reverse

from learnward.accounts.models import User
from learnward.accounts.tokens import TokenPurpose, make_email_token
from learnward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def ann(make_user, client):
    user = make_user(
        email="ann@example.test", display_name="Ann Example", date_of_birth=date(1990, 4, 3)
    )
    client.force_login(user)
    return user


def test_profile_needs_login(client):
    response = client.get(PROFILE)
    assert (
        response.status_code == 302
        and "/accounts/login/?next=/accounts/profile/" in response["Location"]
    )


def test_profile_shows_details_and_date_of_birth_read_only(client, ann):
    html = client.get(PROFILE).content.decode()
    assert "ann@example.test" in html and 'value="Ann Example"' in html
    assert "3 April 1990" in html
    assert 'name="date_of_birth"' not in html
    assert "You cannot change this yourself" in html


def test_change_name_is_audited(client, ann):
    response = client.post(PROFILE, {"display_name": "  Ann Changed  "})
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.display_name == "Ann Changed"
    entry = AuditEntry.objects.get(action="user.profile_changed")
    assert entry.payload == {"fields": ["display_name"]}
    assert entry.subject_id == ann.pk and entry.actor_id == ann.pk
    # Saving the same name again records nothing.
    client.post(PROFILE, {"display_name": "Ann Changed"})
    assert AuditEntry.objects.filter(action="user.profile_changed").count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 151])
def test_bad_names_are_refused(client, ann, name):
    response = client.post(PROFILE, {"display_name": name})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_display_name"' in html
    ann.refresh_from_db()
    assert ann.display_name == "Ann Example"


def test_email_change_is_confirmed_from_the_new_address(client, ann, smtp_server, commit):
    response = commit(
        client.post,
        reverse("accounts:email_change"),
        {"new_email": "Ann.New@Example.test", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.email == "ann@example.test"  # unchanged until confirmed
    assert ann.pending_email == "ann.new@example.test"
    assert AuditEntry.objects.filter(action="user.email_change_requested").count() == 1

    [notice] = smtp_server.to("ann@example.test")
    assert notice.subject == "A change to your email address was requested"
    assert "ann.new" not in notice.text  # the old inbox is not told the new address
    [confirm] = smtp_server.to("ann.new@example.test")
    [link] = [u for u in confirm.links() if "/accounts/email/confirm/" in u]

    page = client.get(PROFILE).content.decode()
    assert "ann.new@example.test" in page and "Cancel the change" in page

    response = client.get(link.removeprefix(BASE))
    assert response.status_code == 200
    assert "Email address changed" in response.content.decode()
    ann.refresh_from_db()
    assert ann.email == "ann.new@example.test" and ann.pending_email == ""
    assert ann.has_verified_email
    assert AuditEntry.objects.filter(action="user.email_changed", subject_id=ann.pk).count() == 1
    # Following it again changes nothing.
    assert client.get(link.removeprefix(BASE)).status_code == 200
    assert AuditEntry.objects.filter(action="user.email_changed").count() == 1
    # The new address is the login now.
    client.post(reverse("accounts:logout"))
    login = client.post(
        reverse("accounts:login"),
        {"username": "ann.new@example.test", "password": "correct horse battery"},
    )
    assert login.status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"new_email": "x@example.test", "password": "wrong"}, "Your password is not right."),
        ({"new_email": "ANN@example.test", "password": "correct horse battery"}, "already your"),
        ({"new_email": "nope", "password": "correct horse battery"}, "right format"),
        ({"new_email": "", "password": ""}, "Enter your current password."),
    ],
)
def test_bad_email_change_requests_are_refused(client, ann, smtp_server, data, message):
    response = client.post(reverse("accounts:email_change"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    ann.refresh_from_db()
    assert ann.pending_email == ""
    assert smtp_server.messages == []
    assert not AuditEntry.objects.exists()


def test_email_change_page_needs_post_and_login(client, make_user):
    assert client.post(reverse("accounts:email_change"), {}).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("accounts:email_change")).status_code == 405


def test_change_to_an_address_with_an_account_reveals_nothing(
    client, ann, make_user, smtp_server, commit
):
    make_user(email="taken@example.test")
    response = commit(
        client.post,
        reverse("accounts:email_change"),
        {"new_email": "taken@example.test", "password": "correct horse battery"},
    )
    assert response.status_code == 302  # the same as for a free address
    [taken] = smtp_server.to("taken@example.test")
    assert taken.subject == "This address already has an account"
    assert not [u for u in taken.links() if "/email/confirm/" in u]
    # A forged confirmation cannot take the address either.
    token = make_email_token(
        user_id=ann.pk, address="taken@example.test", purpose=TokenPurpose.CHANGE
    )
    response = client.get(reverse("accounts:email_change_confirm", args=[token]))
    assert response.status_code == 409
    ann.refresh_from_db()
    assert ann.email == "ann@example.test" and ann.pending_email == ""


def test_old_links_stop_working_after_a_newer_request_or_cancel(client, ann, commit):
    url = reverse("accounts:email_change")
    commit(
        client.post, url, {"new_email": "first@example.test", "password": "correct horse battery"}
    )
    first = make_email_token(
        user_id=ann.pk, address="first@example.test", purpose=TokenPurpose.CHANGE
    )
    commit(
        client.post, url, {"new_email": "second@example.test", "password": "correct horse battery"}
    )
    assert client.get(reverse("accounts:email_change_confirm", args=[first])).status_code == 400

    assert client.post(reverse("accounts:email_change_cancel")).status_code == 302
    ann.refresh_from_db()
    assert ann.pending_email == ""
    second = make_email_token(
        user_id=ann.pk, address="second@example.test", purpose=TokenPurpose.CHANGE
    )
    assert client.get(reverse("accounts:email_change_confirm", args=[second])).status_code == 400
    ann.refresh_from_db()
    assert ann.email == "ann@example.test"
    assert AuditEntry.objects.filter(action="user.profile_changed").get().payload == {
        "fields": ["pending_email"],
        "cancelled": True,
    }


def test_email_change_requests_are_rate_limited(client, ann, commit):
    url = reverse("accounts:email_change")
    for n in range(3):
        response = commit(
            client.post,
            url,
            {"new_email": f"n{n}@example.test", "password": "correct horse battery"},
        )
        assert response.status_code == 302
    response = commit(
        client.post, url, {"new_email": "n9@example.test", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "Try again in an hour" in response.content.decode()
    ann.refresh_from_db()
    assert ann.pending_email == "n2@example.test"


def test_verify_link_for_the_old_address_stops_working_after_a_change(client, make_user, commit):
    user = make_user(email="old@example.test", email_verified_at=None)
    old_token = make_email_token(
        user_id=user.pk, address="old@example.test", purpose=TokenPurpose.VERIFY
    )
    User.objects.filter(pk=user.pk).update(email="new@example.test")
    assert client.get(reverse("accounts:verify", args=[old_token])).status_code == 400
