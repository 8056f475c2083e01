import pytest
from django.urls import reverse
from django.utils import timezone

from learnward.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (User.Status.DEACTIVATED, "deactivated"),
        (User.Status.PENDING_GUARDIAN, "waiting for your parent or guardian"),
    ],
)
def test_inactive_accounts_are_kept_to_their_status_page(client, make_user, status, text):
    user = make_user(status=status, deactivated_at=timezone.now())
    client.force_login(user)
    for path in ["/", reverse("accounts:profile"), reverse("accounts:password_change")]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:status")
    page = client.get(reverse("accounts:status"))
    assert page.status_code == 200
    html = page.content.decode()
    assert text in html
    assert 'action="/accounts/logout/"' in html
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_active_account_status_page(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("accounts:status")).content.decode()
    assert "<strong>active</strong>" in html


def test_status_page_needs_login(client):
    assert client.get(reverse("accounts:status")).status_code == 302
