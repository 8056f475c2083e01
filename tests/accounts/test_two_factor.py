from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from learnward.accounts.roles import ADMINISTRATOR
from learnward.audit.models import AuditEntry

from .conftest import totp_now

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def step(minutes: float = 1):
    """Move to a later TOTP time step (codes cannot be used twice)."""
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=False)


@pytest.fixture
def staff(make_user):
    return make_user(email="admin@example.test", roles=[ADMINISTRATOR])


def enable_two_factor(client, user) -> TOTPDevice:
    client.force_login(user)
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_setup_shows_a_qr_code_and_the_key_and_confirms_with_a_code(client, staff):
    client.force_login(staff)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Two-factor sign-in is <strong>off</strong>" in page
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 302  # nothing started

    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    html = client.get(reverse("accounts:two_factor_setup")).content.decode()
    assert 'src="data:image/svg+xml' in html and 'alt="QR code' in html
    secret = html.split('<code class="secret" aria-label="Key">')[1].split("</code>")[0]
    import base64

    assert (
        base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
        == device.bin_key
    )
    assert 'autocomplete="one-time-code"' in html

    wrong = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    bad_format = client.post(reverse("accounts:two_factor_setup"), {"code": "12ab"})
    assert "Enter the 6 digits" in bad_format.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not AuditEntry.objects.filter(action="user.two_factor_enabled").exists()

    with step():
        response = client.post(reverse("accounts:two_factor_setup"), {"code": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert (
        AuditEntry.objects.filter(action="user.two_factor_enabled", subject_id=staff.pk).count()
        == 1
    )


def test_login_asks_for_a_code_once_enabled(client, staff):
    device = enable_two_factor(client, staff)
    client.post(reverse("accounts:logout"))

    with step(1):
        response = client.post(
            f"{LOGIN}?next=/admin/",
            {"username": "admin@example.test", "password": "correct horse battery"},
        )
        assert response["Location"] == reverse("accounts:login_otp")
        assert "_auth_user_id" not in client.session  # not signed in yet
        assert client.get("/admin/").status_code == 302

        wrong = client.post(reverse("accounts:login_otp"), {"code": "000000"})
        assert wrong.status_code == 400
        assert "That code is not right" in wrong.content.decode()
        assert "_auth_user_id" not in client.session

    with step(2):
        response = client.post(reverse("accounts:login_otp"), {"code": totp_now(device)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/admin/").status_code == 200


def test_a_code_cannot_be_reused(client, staff):
    device = enable_two_factor(client, staff)
    client.post(reverse("accounts:logout"))
    with step(1):
        code = totp_now(device)
        client.post(LOGIN, {"username": "admin@example.test", "password": "correct horse battery"})
        assert client.post(reverse("accounts:login_otp"), {"code": code}).status_code == 302
        client.post(reverse("accounts:logout"))
        client.post(LOGIN, {"username": "admin@example.test", "password": "correct horse battery"})
        assert client.post(reverse("accounts:login_otp"), {"code": code}).status_code == 400


def test_code_step_expires_and_cannot_be_reached_directly(client, staff):
    device = enable_two_factor(client, staff)
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:login_otp"))["Location"] == LOGIN
    client.post(LOGIN, {"username": "admin@example.test", "password": "correct horse battery"})
    with step(10):
        response = client.post(reverse("accounts:login_otp"), {"code": totp_now(device)})
    assert response["Location"] == LOGIN
    assert "_auth_user_id" not in client.session


def test_wrong_codes_count_towards_the_lockout(client, staff, settings):
    enable_two_factor(client, staff)
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": "admin@example.test", "password": "correct horse battery"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login_otp"), {"code": "000000"})
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action="user.login_locked_out", subject_id=staff.pk).exists()


def test_unverified_session_must_enter_a_code_for_the_admin(client, staff):
    device = enable_two_factor(client, staff)
    # A session signed in without a code (e.g. from before two-factor was turned on).
    client.logout()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("accounts:login_otp"))
    # Managing two-factor also needs the code first.
    assert client.get(reverse("accounts:two_factor"))["Location"].startswith(
        reverse("accounts:login_otp")
    )
    with step(1):
        response = client.post(
            f"{reverse('accounts:login_otp')}?next=/admin/", {"code": totp_now(device)}
        )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_a_device_use_the_admin_unless_required(client, staff, settings):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("accounts:two_factor")


def test_turning_off_needs_a_current_code(client, staff):
    device = enable_two_factor(client, staff)
    with step(1):
        response = client.post(reverse("accounts:two_factor_disable"), {"code": "000000"})
        assert response.status_code == 400
        assert TOTPDevice.objects.filter(user=staff).exists()
    with step(2):  # django-otp makes you wait a moment after a wrong code
        response = client.post(reverse("accounts:two_factor_disable"), {"code": totp_now(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AuditEntry.objects.filter(action="user.two_factor_disabled").count() == 1


def test_cannot_turn_off_when_required(client, staff, settings):
    device = enable_two_factor(client, staff)
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    with step(1):
        client.post(reverse("accounts:two_factor_disable"), {"code": totp_now(device)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_learners_do_not_get_two_factor_pages(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("accounts:two_factor")).status_code == 404
    assert client.post(reverse("accounts:two_factor_start")).status_code == 404
    assert not TOTPDevice.objects.exists()
