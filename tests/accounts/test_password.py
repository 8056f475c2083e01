import pytest
from django.urls import reverse

from learnward.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def test_reset_by_following_the_emailed_link(client, make_user, smtp_server, commit):
    user = make_user(email="ann@example.test", email_verified_at=None)
    response = commit(
        client.post, reverse("accounts:password_reset"), {"email": "ANN@example.test"}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = smtp_server.to("ann@example.test")
    assert message.subject == "Reset your password"
    [link] = [u for u in message.links() if "/accounts/reset/" in u]

    response = client.get(link.removeprefix(BASE))
    assert response.status_code == 302  # Django swaps the token into the session
    form_url = response["Location"]
    page = client.get(form_url)
    assert "Choose a new password" in page.content.decode()

    bad = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert "too short" in bad.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery")

    done = commit(
        client.post,
        form_url,
        {"new_password1": "violet-kettle-drums-4", "new_password2": "violet-kettle-drums-4"},
    )
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("violet-kettle-drums-4")
    assert user.has_verified_email  # following the link proved the address
    assert AuditEntry.objects.filter(action="user.password_reset", subject_id=user.pk).count() == 1

    # The link works once.
    again = client.get(link.removeprefix(BASE), follow=True)
    assert "This link does not work" in again.content.decode()


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, make_user, smtp_server, commit
):
    make_user(email="ann@example.test")
    response = commit(
        client.post, reverse("accounts:password_reset"), {"email": "nobody@example.test"}
    )
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert smtp_server.messages == []


def test_reset_requests_are_limited_per_account(client, make_user, smtp_server, commit):
    make_user(email="ann@example.test")
    for _ in range(5):
        commit(client.post, reverse("accounts:password_reset"), {"email": "ann@example.test"})
    assert len(smtp_server.to("ann@example.test")) == 3


def test_reset_form_validates_the_address(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter an email address in the right format" in response.content.decode()


def test_reset_lifts_a_lockout(client, make_user, smtp_server, commit, settings):
    make_user(email="ann@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "ann@example.test", "password": "x"})
    commit(client.post, reverse("accounts:password_reset"), {"email": "ann@example.test"})
    [link] = [u for u in smtp_server.to("ann@example.test")[0].links() if "/reset/" in u]
    form_url = client.get(link.removeprefix(BASE))["Location"]
    client.post(
        form_url,
        {"new_password1": "violet-kettle-drums-4", "new_password2": "violet-kettle-drums-4"},
    )
    response = client.post(
        reverse("accounts:login"),
        {"username": "ann@example.test", "password": "violet-kettle-drums-4"},
    )
    assert response.status_code == 302


def test_change_password(client, make_user, smtp_server, commit):
    user = make_user(email="ann@example.test")
    client.force_login(user)
    url = reverse("accounts:password_change")
    page = client.get(url).content.decode()
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page

    wrong = client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "violet-kettle-drums-4",
            "new_password2": "violet-kettle-drums-4",
        },
    )
    assert "Your current password is not right." in wrong.content.decode()
    mismatch = client.post(
        url,
        {
            "old_password": "correct horse battery",
            "new_password1": "violet-kettle-drums-4",
            "new_password2": "violet-kettle-drums-5",
        },
    )
    assert "didn’t match" in mismatch.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse battery")
    assert not AuditEntry.objects.exists()

    done = commit(
        client.post,
        url,
        {
            "old_password": "correct horse battery",
            "new_password1": "violet-kettle-drums-4",
            "new_password2": "violet-kettle-drums-4",
        },
    )
    assert done["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password("violet-kettle-drums-4")
    assert AuditEntry.objects.filter(action="user.password_changed").count() == 1
    [notice] = smtp_server.to("ann@example.test")
    assert notice.subject == "Your password was changed"
    assert "violet" not in notice.text
    # Still signed in after the change.
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_change_password_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
